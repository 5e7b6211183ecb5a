import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// Touch URLSession so that FoundationNetworking (and libcurl under it) is linked, not dropped.
let session = URLSession(configuration: .ephemeral)
print("linkcheck: linked \(type(of: session)) with the Swift runtime inside")

import Foundation

/// The real data the project is tested against, read in place from `../shared/data` (next to the
/// package root). Tests that need it are skipped, with this message, when it is absent.
public enum SharedData {
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }   // Tests/Support/SharedData.swift
        return url
    }()

    public static let directory = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

    public static func file(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    public static var available: Bool {
        FileManager.default.fileExists(atPath: file("freakinbeats-listings.csv").path)
    }

    public static let skipReason = "../shared/data (the real shop CSV and Discogs samples) is not next to the package root"

    public static var shopCSV: URL { file("freakinbeats-listings.csv") }
    public static func discogs(_ name: String) -> URL { file("discogs/" + name) }
}

/// A folder that disappears when the test ends.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("wax-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(at: url) }
}

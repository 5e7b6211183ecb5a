import WaxJSON

/// FlyingFox has a `JSONValue` of its own; in this module the name means wax's writer.
typealias JSONValue = WaxJSON.JSONValue

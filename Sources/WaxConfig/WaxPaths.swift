import Foundation

/// Where wax keeps its files, following the XDG base-directory rules.
///
/// A relative `XDG_*` value is ignored, as the specification says (and htop does): it would make
/// the database move with the working directory.
public struct WaxPaths: Sendable, Equatable {
    public var dataHome: URL
    public var configHome: URL
    public var stateHome: URL
    /// The installed share folder (`<prefix>/share/wax`) next to the running binary, if any.
    public var installedShare: URL?
    /// The package's own folder, for `themes/` when running from a checkout.
    public var packageRoot: URL?

    public init(dataHome: URL, configHome: URL, stateHome: URL, installedShare: URL? = nil, packageRoot: URL? = nil) {
        self.dataHome = dataHome
        self.configHome = configHome
        self.stateHome = stateHome
        self.installedShare = installedShare
        self.packageRoot = packageRoot
    }

    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL
    ) -> WaxPaths {
        let home = URL(fileURLWithPath: environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory())
        func xdg(_ key: String, _ fallback: String) -> URL {
            if let value = environment[key], value.hasPrefix("/") {
                return URL(fileURLWithPath: value)
            }
            return home.appendingPathComponent(fallback)
        }
        var share: URL?
        var root: URL?
        if let executable {
            // <prefix>/bin/wax → <prefix>/share/wax
            let prefix = executable.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            share = prefix.appendingPathComponent("share/wax")
            // <root>/.build/<config>/wax → <root>
            var dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<5 {
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                    root = dir
                    break
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return WaxPaths(
            dataHome: xdg("XDG_DATA_HOME", ".local/share").appendingPathComponent("wax"),
            configHome: xdg("XDG_CONFIG_HOME", ".config").appendingPathComponent("wax"),
            stateHome: xdg("XDG_STATE_HOME", ".local/state").appendingPathComponent("wax"),
            installedShare: share,
            packageRoot: root
        )
    }

    public var configFile: URL { configHome.appendingPathComponent("config") }
    public var logFile: URL { stateHome.appendingPathComponent("wax.log") }
    public var defaultDatabase: URL { dataHome.appendingPathComponent("wax.db") }

    /// Theme folders in search order: the user's, the installed ones, the package's own.
    public var themeDirectories: [URL] {
        var dirs = [dataHome.appendingPathComponent("themes")]
        if let installedShare { dirs.append(installedShare.appendingPathComponent("themes")) }
        if let packageRoot { dirs.append(packageRoot.appendingPathComponent("themes")) }
        return dirs
    }
}

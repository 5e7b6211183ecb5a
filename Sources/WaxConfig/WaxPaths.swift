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

    public init(dataHome: URL, configHome: URL, stateHome: URL, installedShare: URL? = nil) {
        self.dataHome = dataHome
        self.configHome = configHome
        self.stateHome = stateHome
        self.installedShare = installedShare
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
        // <prefix>/bin/wax → <prefix>/share/wax
        let share = executable.map {
            $0.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/wax")
        }
        return WaxPaths(
            dataHome: xdg("XDG_DATA_HOME", ".local/share").appendingPathComponent("wax"),
            configHome: xdg("XDG_CONFIG_HOME", ".config").appendingPathComponent("wax"),
            stateHome: xdg("XDG_STATE_HOME", ".local/state").appendingPathComponent("wax"),
            installedShare: share
        )
    }

    public var configFile: URL { configHome.appendingPathComponent("config") }
    public var logFile: URL { stateHome.appendingPathComponent("wax.log") }
    /// The browser's last view (search, filters, sort, selection), per user.
    public var savedView: URL { stateHome.appendingPathComponent("view.json") }
    public var defaultDatabase: URL { dataHome.appendingPathComponent("wax.db") }

    /// Theme folders in search order: the user's, then the installed share folder's. (The
    /// shipped themes are compiled in: a binary copied anywhere has them.)
    public var themeDirectories: [URL] {
        var dirs = [dataHome.appendingPathComponent("themes")]
        if let installedShare { dirs.append(installedShare.appendingPathComponent("themes")) }
        return dirs
    }
}

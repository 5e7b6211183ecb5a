import Foundation
import Logging
import WaxConfig
import WaxStore

enum WaxBuild {
    static let version = WaxVersion.current
}

/// What every command needs: settings, paths, the log file, and (on demand) the mirror.
struct AppContext {
    let paths: WaxPaths
    let settings: Settings
    let logger: Logger

    /// Loads settings and points logging at the log file (`logFile` instead of the user's:
    /// the demo keeps its log in its own folder). Configuration mistakes exit with 2.
    static func load(logFile: URL? = nil) throws -> AppContext {
        let paths = WaxPaths.resolve()
        let settings: Settings
        do {
            settings = try Settings.load(paths: paths)
        } catch {
            throw Failure.configuration("\(error)")
        }
        WaxLogging.bootstrap(file: logFile ?? paths.logFile, level: settings.logLevel, redact: settings.redact)
        for warning in settings.warnings { Console.warn(warning) }
        return AppContext(paths: paths, settings: settings, logger: Logger(label: "wax"))
    }

    func databasePath() throws -> URL {
        do {
            return try settings.databasePath(paths: paths)
        } catch {
            throw Failure.configuration("\(error)")
        }
    }

    /// `fillsAlone`: the command fills the mirror and does nothing else meanwhile (an empty
    /// mirror is then written without the WAL, see `MirrorDatabase.open`).
    func openInventory(staleWhileReloading: Bool = false, fillsAlone: Bool = false) throws -> InventoryService {
        let path = try databasePath()
        let inventory: InventoryService
        do {
            inventory = try InventoryService.open(at: path, staleWhileReloading: staleWhileReloading, fillsAlone: fillsAlone)
        } catch {
            throw Failure.failed("\(error)")
        }
        if let warning = mirrorWarning(path) { Console.warn(warning) }
        return inventory
    }

    /// Other users of the machine can read the mirror (owner-only fields, soon buyers' addresses).
    func mirrorWarning(_ path: URL) -> String? {
        FilePermissions.worldReadableWarning(path, what: "the mirror")
    }
}

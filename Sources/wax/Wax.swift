import ArgumentParser
import Foundation

@main
struct Wax: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wax",
        abstract: "Browse a record shop's Discogs inventory from a local SQLite mirror.",
        discussion: """
        Settings come from the environment or $XDG_CONFIG_HOME/wax/config (KEY=value lines); the \
        environment wins. `wax info` shows what is set and where every file lives.

        EXIT CODES
          0  success
          1  failure (a bad CSV row, a failed sync: the mirror is left as it was; an action
             Discogs refused or that conflicts with what Discogs holds)
          2  usage or configuration error
          3  another wax process is syncing this database
          4  Discogs rejected the token
        """,
        version: WaxBuild.version,
        subcommands: [
            BrowseCommand.self, DemoCommand.self, SearchCommand.self, ShowCommand.self, StatsCommand.self, ImportCommand.self, ExportCommand.self,
            ChangesCommand.self, InfoCommand.self, SyncCommand.self, ServeCommand.self, KeysCommand.self,
            SellCommand.self, HoldCommand.self, ReleaseCommand.self, PriceCommand.self, MoveCommand.self, CommentCommand.self,
            UndoCommand.self, OutboxCommand.self, OrdersCommand.self, SalesCommand.self,
        ],
        defaultSubcommand: BrowseCommand.self
    )

    /// Usage mistakes are exit 2 and one line, as the help promises (swift-argument-parser's
    /// own are exit 64 and a usage block); a mistyped command is named, with what was meant.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let mistake = UsageCheck.unknownCommand(arguments, known: configuration.subcommands.map { $0._commandName }) {
            Console.error(mistake)
            Foundation.exit(2)
        }
        var command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot(arguments)
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }   // --help, --version
            Console.error(UsageCheck.oneLine(message(for: error), arguments: arguments))
            Foundation.exit(2)
        }
        do {
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// What a usage mistake says.
enum UsageCheck {
    /// `wax serch love`: the first word is neither an option nor a command (the browser, the
    /// default command, takes no words), so it must be a command mistyped.
    static func unknownCommand(_ arguments: [String], known: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), !known.contains(first), first != "help" else { return nil }
        let suggestion = known.min { distance(first, $0) < distance(first, $1) }.flatMap { distance(first, $0) <= 2 || $0.hasPrefix(first) ? $0 : nil }
        return "unknown command \"\(first)\"" + (suggestion.map { " (did you mean \($0)?)" } ?? " (see wax --help)")
    }

    /// The parser's message on one line, with where to look.
    static func oneLine(_ message: String, arguments: [String]) -> String {
        let text = message.split(separator: "\n").first.map(String.init) ?? message
        let trimmed = text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
        let command = arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 }
        return "\(trimmed) (see wax \(command.map { "\($0) " } ?? "")--help)"
    }

    /// Levenshtein distance, for "did you mean".
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}

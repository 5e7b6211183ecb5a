import ArgumentParser
import Foundation

@main
struct Wax: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wax",
        abstract: "Browse a record shop's Discogs inventory from a local SQLite mirror.",
        discussion: """
        Settings come from the environment or $XDG_CONFIG_HOME/wax/config (KEY=value lines); the \
        environment wins. `wax info` shows what is set and where every file lives. The man page \
        (man wax) lists every setting, file and exit status.
        """ + "\n\n" + ExitStatus.helpText,
        version: WaxBuild.version,
        subcommands: [
            BrowseCommand.self, DemoCommand.self, SearchCommand.self, ShowCommand.self, StatsCommand.self, ImportCommand.self, ExportCommand.self,
            ChangesCommand.self, InfoCommand.self, SyncCommand.self, ServeCommand.self, KeysCommand.self,
            SellCommand.self, HoldCommand.self, ReleaseCommand.self, PriceCommand.self, MoveCommand.self, CommentCommand.self,
            UndoCommand.self, OutboxCommand.self, OrdersCommand.self, SalesCommand.self, AddCommand.self, LabelsCommand.self, RepriceCommand.self,
        ],
        defaultSubcommand: BrowseCommand.self
    )

    /// Usage mistakes are exit 2 and one line, as the help promises (swift-argument-parser's
    /// own are exit 64 and a usage block); a mistyped command is named, with what was meant.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let mistake = UsageCheck.unknownCommand(arguments, in: Wax.self) {
            Console.error(mistake)
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        var command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot(arguments)
        } catch {
            guard exitCode(for: error) != .success else { exit(withError: error) }   // --help, --version
            Console.error(UsageCheck.oneLine(message(for: error), arguments: arguments))
            Foundation.exit(ExitStatus.usage.rawValue)
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
    /// `wax serch love`, `wax orders pick`: a word where a command is expected (the browser, the
    /// default command, and the default `list` of `orders` and `outbox` take no words) names a
    /// command mistyped; say which was meant.
    static func unknownCommand(_ arguments: [String], in command: any ParsableCommand.Type, path: [String] = []) -> String? {
        let subcommands = command.configuration.subcommands
        guard !subcommands.isEmpty, let first = arguments.first, !first.hasPrefix("-"), first != "help" else { return nil }
        if let match = subcommands.first(where: { $0._commandName == first }) {
            return unknownCommand(Array(arguments.dropFirst()), in: match, path: path + [first])
        }
        let known = subcommands.map { $0._commandName }
        let suggestion = known.first { $0.hasPrefix(first) }
            ?? known.min { distance(first, $0) < distance(first, $1) }.flatMap { distance(first, $0) <= 2 ? $0 : nil }
        let within = path.isEmpty ? "" : " of wax \(path.joined(separator: " "))"
        return "unknown command \"\(first)\"\(within)" + (suggestion.map { " (did you mean \((path + [$0]).joined(separator: " "))?)" }
            ?? " (see wax \(path.map { $0 + " " }.joined())--help)")
    }

    /// The parser's message on one line, with where to look. A negative number reads to the
    /// parser as an option (`wax price ID -3` said "Missing expected argument"): say what the
    /// value must be instead.
    static func oneLine(_ message: String, arguments: [String]) -> String {
        let path = commandPath(arguments, in: Wax.self)
        let help = "(see wax \(path.map { $0 + " " }.joined())--help)"
        if let index = arguments.firstIndex(where: { $0.count > 1 && $0.hasPrefix("-") && Double($0) != nil }) {
            let option = index > 0 && arguments[index - 1].hasPrefix("--") ? arguments[index - 1] : nil
            let what = option.map { "\($0) must be 0 or more" }
                ?? (path == ["price"] ? "a price must be a positive number, like 12.50" : "numbers here are 0 or more")
            return "\(what) (you gave \(arguments[index])) \(help)"
        }
        let text = message.split(separator: "\n").first.map(String.init) ?? message
        let trimmed = text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
        return "\(trimmed) \(help)"
    }

    /// The commands named at the start of `arguments` (`["orders", "show"]`).
    static func commandPath(_ arguments: [String], in command: any ParsableCommand.Type) -> [String] {
        guard let first = arguments.first, let match = command.configuration.subcommands.first(where: { $0._commandName == first }) else { return [] }
        return [first] + commandPath(Array(arguments.dropFirst()), in: match)
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

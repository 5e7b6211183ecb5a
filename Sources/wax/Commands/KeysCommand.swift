import ArgumentParser
import WaxText
import WaxUI

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys", abstract: "List the browser's keys (the same list as ? inside it).")

    @Flag(help: "As a Markdown table (the README's).") var markdown = false

    func run() throws {
        if markdown {
            print(KeyTable.markdown)
            return
        }
        var table = TextTable(columns: [.init("Keys", minimum: 8), .init("What they do", minimum: 20)])
        for group in CommandSpec.Group.allCases {
            for spec in CommandRegistry.all where spec.group == group {
                table.rows.append([CommandRegistry.keyLabel(spec), spec.help])
            }
        }
        print(table.render(maxWidth: Console.terminalWidth), terminator: "")
    }
}

import ArgumentParser

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
          1  failure (a bad CSV row, a failed sync: the mirror is left as it was)
          2  usage or configuration error
          3  another wax process is syncing this database
          4  Discogs rejected the token
        """,
        version: WaxBuild.version,
        subcommands: [
            BrowseCommand.self, DemoCommand.self, SearchCommand.self, ShowCommand.self, StatsCommand.self, ImportCommand.self, ExportCommand.self,
            InfoCommand.self, SyncCommand.self, ServeCommand.self, KeysCommand.self,
        ],
        defaultSubcommand: BrowseCommand.self
    )
}

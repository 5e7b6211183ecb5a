import WaxConfig

/// The man page's ENVIRONMENT, FILES and EXIT STATUS sections, in mdoc, from the settings and
/// exit statuses as declared (swift-argument-parser's generator writes the rest of the page from
/// the commands' help). `deploy/make-manual.sh` splices them in; a test keeps the committed page
/// equal to them.
enum ManualSections {
    static var mdoc: String {
        var lines = [".Sh ENVIRONMENT",
                     "Each setting is read from the environment, else from the config file as a KEY=value line, else its default:",
                     ".Bl -tag -width Ds"]
        for key in Settings.Key.allCases {
            lines += [".It Ev \(key.rawValue)", escaped(key.summary)]
        }
        lines += [".It Ev XDG_CONFIG_HOME , XDG_DATA_HOME , XDG_STATE_HOME",
                  "where the config file, the database and the log live (a relative value is ignored)",
                  ".It Ev TERM , LANG",
                  "the browser needs a terminal type this machine knows and a UTF-8 locale",
                  ".It Ev NO_COLOR",
                  "set to anything: the mono theme",
                  ".El"]
        lines += [".Sh FILES", ".Bl -tag -width Ds"]
        for (path, what) in files { lines += [".It Pa \(path)", escaped(what)] }
        lines += [".El", ".Sh EXIT STATUS", ".Bl -tag -width Ds"]
        for status in ExitStatus.allCases { lines += [".It \(status.rawValue)", escaped(status.meaning)] }
        lines.append(".El")
        return lines.joined(separator: "\n") + "\n"
    }

    static let files: [(String, String)] = [
        ("$XDG_CONFIG_HOME/wax/config", "settings as KEY=value lines (else ~/.config/wax/config); keep it 0600 when it holds DISCOGS_TOKEN"),
        ("$XDG_DATA_HOME/wax/wax.db", "the mirror, unless DATABASE_URL names another (else ~/.local/share/wax/wax.db); beside it its -wal and -shm files and the .lock, .sync-lock, .outbox-lock, .orders-lock and .sync-rate files"),
        ("$XDG_STATE_HOME/wax/wax.log", "the log (else ~/.local/state/wax/wax.log); wax never logs to the terminal"),
        ("$XDG_STATE_HOME/wax/view.json", "the browser's last view (search, filters, sort, selection), per user"),
        ("$XDG_DATA_HOME/wax/themes/NAME.theme", "your own themes, over the ones compiled in"),
    ]

    /// A line mdoc reads as text: a leading dot or quote would be taken as a macro.
    private static func escaped(_ text: String) -> String {
        text.hasPrefix(".") || text.hasPrefix("'") ? "\\&" + text : text
    }
}

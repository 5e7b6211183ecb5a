/// The themes that ship with wax, compiled into the binary: a `wax` copied anywhere finds
/// them (a file beside the package did not travel with it). `themes/*.theme` holds the same
/// texts for people to copy and edit; a test keeps the two equal.
enum ShippedThemes {
    static let names = ["default", "light", "high-contrast", "mono"]

    static func text(_ name: String) -> String? {
        switch name {
        // The files end with a newline, the literals don't.
        case "default": defaultText + "\n"
        case "light": lightText + "\n"
        case "high-contrast": highContrastText + "\n"
        case "mono": monoText + "\n"
        default: nil
        }
    }

    static let defaultText = """
    # wax's default theme (dark). Copy this file to $XDG_DATA_HOME/wax/themes/NAME.theme, keep
    # only the lines you change, and choose it with --theme NAME or WAX_THEME=NAME.
    # role = [foreground] [on background] [bold] [dim] [underline] [reverse]
    # colours: default, black, red, green, yellow, blue, magenta, cyan, white, bright-<colour>,
    # 0-255 (approximated on 8- and 16-colour terminals) or #rrggbb (approximated)
    normal = default on default
    header = bright-white on blue
    headerAccent = bright-yellow on blue bold
    columns = bright-white bold underline
    selected = black on cyan
    selectedUnfocused = black on white
    dim = bright-black
    accent = cyan bold
    rule = bright-black
    label = cyan
    value = default
    removed = red
    active = green bold
    status = black on white
    statusRunning = black on yellow
    statusError = bright-white on red bold
    hint = black on white
    hintKey = blue on white bold
    prompt = bright-yellow bold
    overlay = black on white
    overlayTitle = blue on white bold
    added = green
    changed = yellow
    """

    static let lightText = """
    # For light terminal backgrounds. Only what differs from the default theme.
    header = black on cyan
    headerAccent = blue on cyan bold
    columns = black bold underline
    selected = white on blue
    selectedUnfocused = black on 250
    dim = 244
    accent = blue bold
    rule = 250
    label = blue
    status = white on 238
    statusRunning = black on 222
    hint = white on 238
    hintKey = bright-yellow on 238 bold
    prompt = blue bold
    overlay = black on 254
    overlayTitle = blue on 254 bold
    added = 28
    changed = 130
    """

    static let highContrastText = """
    # Maximum contrast: black and white with yellow for what matters.
    normal = bright-white on black
    header = black on bright-yellow bold
    headerAccent = black on bright-yellow bold underline
    columns = bright-yellow on black bold underline
    selected = black on bright-white bold
    selectedUnfocused = black on bright-yellow
    dim = white
    accent = bright-yellow bold
    rule = bright-white
    label = bright-yellow bold
    value = bright-white
    removed = bright-red bold
    active = bright-green bold
    status = black on bright-white bold
    statusRunning = black on bright-yellow bold
    statusError = bright-white on red bold
    hint = black on bright-white
    hintKey = black on bright-yellow bold
    prompt = bright-yellow bold
    overlay = bright-white on black
    overlayTitle = bright-yellow on black bold underline
    added = bright-green bold
    changed = bright-yellow bold
    """

    static let monoText = """
    # No colour at all: reverse, bold, underline and dim only (what NO_COLOR uses too).
    header = reverse
    headerAccent = reverse bold
    columns = bold underline
    selected = reverse bold
    selectedUnfocused = reverse
    dim = dim
    accent = bold
    label = bold
    removed = dim
    active = bold
    status = reverse
    statusRunning = reverse bold
    statusError = reverse bold
    hint = reverse
    hintKey = reverse bold
    prompt = bold
    overlay = reverse
    overlayTitle = reverse bold
    added = bold
    changed = underline
    """
}

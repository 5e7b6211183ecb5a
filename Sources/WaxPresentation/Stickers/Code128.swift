/// Code 128 (ISO/IEC 15417), what a shop's handheld scanner reads: code set C for pairs of
/// digits (a listing id is all digits), set B for anything else. Written here rather than
/// taken from a library: the table and a few lines encode it, and a sticker needs nothing more.
public enum Code128 {
    /// Bar and space widths of each symbol value, in modules: bar, space, bar, space, bar,
    /// space. 103–105 start sets A, B, C; 106 is the stop (with its final bar).
    static let patterns: [String] = [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
        "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
        "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
        "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
        "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
        "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
        "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
        "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
        "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
        "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
    ]

    static let startB = 104, startC = 105, codeB = 100, codeC = 99, stop = 106

    /// The symbol values for `text` (printable ASCII): start, data, checksum, stop.
    public static func values(_ text: String) -> [Int]? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 32 && $0 < 127 }) else { return nil }
        func digitRun(from i: Int) -> Int {
            var n = 0
            while i + n < bytes.count, bytes[i + n] >= 48, bytes[i + n] <= 57 { n += 1 }
            return n
        }
        var values: [Int] = []
        var inC = digitRun(from: 0) >= 2 && (digitRun(from: 0) % 2 == 0 || digitRun(from: 0) >= 4)
        values.append(inC ? startC : startB)
        var i = 0
        while i < bytes.count {
            let run = digitRun(from: i)
            if inC {
                if run >= 2 {
                    values.append(Int(bytes[i] - 48) * 10 + Int(bytes[i + 1] - 48))
                    i += 2
                    continue
                }
                values.append(codeB)
                inC = false
            }
            // Four digits or more (an even count of them) are shorter in set C.
            if run >= 4, run % 2 == 0 {
                values.append(codeC)
                inC = true
                continue
            }
            values.append(Int(bytes[i]) - 32)
            i += 1
        }
        var sum = values[0]
        for (position, value) in values.enumerated().dropFirst() { sum += position * value }
        values.append(sum % 103)
        values.append(stop)
        return values
    }

    /// Module widths, bar first, alternating bar and space, for `text`; quiet zones not included.
    public static func widths(_ text: String) -> [Int]? {
        values(text)?.flatMap { patterns[$0].compactMap { $0.wholeNumberValue } }
    }
}

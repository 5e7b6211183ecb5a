import ArgumentParser
import Foundation
import WaxConfig
import WaxPresentation
import WaxStore
import WaxText

/// `wax labels`: prints the stickers of what intake listed (or any listings again).
struct LabelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Print the stickers of listed records: artist – title, grades, price, bin and the listing id as a barcode the counter's scanner reads.",
        discussion: """
        By default the stickers not printed yet. ZPL goes to WAX_LABEL_PRINTER (a device such as /dev/usb/lp0, or lp:QUEUE for a CUPS queue); \
        a PDF sheet (A4, labels of WAX_LABEL_SIZE) is written to the data folder unless --output says where (- for standard output). \
        Printed stickers are marked so (text to the terminal is only a look and marks nothing).
        """
    )
    @Option(help: "Stickers queued since then (90m, 24h, 7d or a day), printed or not.") var since: String?
    @Option(parsing: .upToNextOption, help: "These listings' stickers (any listing, even one taken in before wax).") var ids: [ListingID] = []
    @Option(help: "zpl, pdf or text (default: zpl when WAX_LABEL_PRINTER is set, else pdf).") var format: StickerSheet.Format?
    @Option(help: "Write to this file instead (- for standard output).") var output: String?

    func run() async throws {
        try Failure.reporting {
            let context = try AppContext.load()
            let inventory = try context.openInventory()
            let stickers: [Sticker]
            if !ids.isEmpty {
                stickers = try inventory.intake.stickers(ids: ids.map(\.value))
                let missing = Set(ids.map(\.value)).subtracting(stickers.map(\.listingID))
                if !missing.isEmpty { throw Failure.configuration("no listing \(missing.sorted().map(String.init).joined(separator: ", ")) in the mirror") }
            } else if let since {
                stickers = try inventory.intake.stickers(since: try SinceOption(parsing: since).date)
            } else {
                stickers = try inventory.intake.stickers(waitingOnly: true)
            }
            guard !stickers.isEmpty else {
                Console.out("no stickers to print\(ids.isEmpty && since == nil ? " (every listed record's is printed: --since 7d prints them again)" : "")\n")
                return
            }
            let printer = context.settings.labelPrinter.flatMap { $0.isEmpty ? nil : $0 }
            let format = self.format ?? (printer != nil && output == nil ? .zpl : .pdf)
            let sheet = StickerSheet.render(stickers, as: format, size: context.settings.labelSize)
            let destination = try deliver(sheet, format: format, printer: printer, context: context)
            let count = "\(stickers.count) sticker\(stickers.count == 1 ? "" : "s")"
            if let destination {
                try inventory.intake.markPrinted(stickers.map(\.listingID))
                Console.error("\(count) → \(destination)")
            }
        }
    }

    /// Sends the sheet where it goes; says where (nil for the terminal, which marks nothing).
    private func deliver(_ sheet: Data, format: StickerSheet.Format, printer: String?, context: AppContext) throws -> String? {
        if output == "-" || (output == nil && format == .text) {
            FileHandle.standardOutput.write(sheet)
            return output == "-" && format != .text ? "standard output" : nil
        }
        if let output {
            try write(sheet, to: URL(fileURLWithPath: output))
            return output
        }
        if format == .zpl, let printer {
            if printer.hasPrefix("lp:") {
                let queue = String(printer.dropFirst(3))
                try LabelPrinter.lp(sheet, queue: queue)
                return "lp queue \(queue)"
            }
            try write(sheet, to: URL(fileURLWithPath: printer))
            return printer
        }
        let stamp = LocalTime.system.minute(Date()).replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: ":", with: "")
        let file = context.paths.dataHome.appendingPathComponent("labels-\(stamp).\(format.rawValue)")
        try write(sheet, to: file)
        return file.path
    }

    private func write(_ data: Data, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: url.path), let handle = FileHandle(forWritingAtPath: url.path) {
                // A printer device is written, never replaced.
                defer { try? handle.close() }
                try handle.truncate(atOffset: 0)
                try handle.write(contentsOf: data)
            } else {
                try data.write(to: url)
            }
        } catch {
            throw Failure.failed("can't write the stickers to \(url.path): \(error.localizedDescription)")
        }
    }
}

extension StickerSheet.Format: ExpressibleByArgument {}

/// A CUPS queue, through `lp` (raw: the printer takes ZPL as it is).
enum LabelPrinter {
    static func lp(_ data: Data, queue: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["lp", "-d", queue, "-o", "raw"]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Failure.failed("can't run lp to print on \(queue): \(error.localizedDescription)")
        }
        input.fileHandleForWriting.write(data)
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure.failed("lp could not print on \(queue)\(said.isEmpty ? "" : ": \(said)")")
        }
    }
}

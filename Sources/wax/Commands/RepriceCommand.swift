import ArgumentParser
import Foundation
import WaxConfig
import WaxJSON
import WaxPresentation
import WaxStore
import WaxSync
import WaxText

/// `wax reprice`: a rule over a selection, previewed, then sent within Discogs' limits.
struct RepriceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprice",
        abstract: "Reprice many listings by a rule (+10%, -15%, =12.00, to-suggestion, min-market): previewed, then sent.",
        discussion: """
        The selection takes every filter of `wax search`. The preview lists every listing that changes (old → new, why) with totals; \
        nothing is sent without --yes (or a y at the terminal's question). Up to 50 listings go as ordinary price edits; more as one \
        Discogs change job (one request for all of them), checked against Discogs' inventory before and verified after: a listing \
        changed on the website since the preview is refused as a conflict. `--undo N` previews and sends the inverse of run N; \
        `--runs` lists the runs, `--run N` one run's listings.
        """
    )
    // Unrecognized words too: `-15%` looks like an option to the parser.
    @Argument(parsing: .allUnrecognized, help: "The rule: +10%, -15%, =12.00, to-suggestion or min-market.") var words: [String] = []
    var rule: String? { words.isEmpty ? nil : words.joined(separator: " ") }
    @OptionGroup var filters: QueryOptions
    @Option(name: .customLong("older-than"), help: "Only listings posted before this long ago (180d, 26w).") var olderThan: String?
    @Option(help: "Round to this step (0.50, 1).") var round: String?
    @Option(help: "Round to this ending (.99).") var ending: String?
    @Option(help: "No price below this.") var floor: Double?
    @Option(help: "No price above this (and never above WAX_MAX_PRICE).") var ceiling: Double?
    @Flag(help: "Preview only; send nothing.") var dryRun = false
    @Flag(help: "Send without asking.") var yes = false
    @Flag(help: "Print the preview (or the runs) as JSON.") var json = false
    @Flag(help: "Print the preview as CSV.") var csv = false
    @Option(help: "Preview and send the inverse of run N.") var undo: Int64?
    @Flag(help: "List the recent runs.") var runs = false
    @Option(name: .customLong("run"), help: "List run N's listings and what became of each.") var showRun: Int64?
    @Option(help: "Seconds to wait for Discogs to confirm (default 600: a job takes minutes).") var wait: Double = 600

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are exclusive") }
        if rule == nil && undo == nil && !runs && showRun == nil { throw ValidationError("give a rule (+10%, -15%, =12.00, to-suggestion, min-market), --undo N, --runs or --run N") }
        if let rule, RepriceRule.adjustment(rule) == nil { throw ValidationError("\"\(rule)\" is not a rule: +10%, -15%, =12.00, to-suggestion or min-market") }
        if round != nil && ending != nil { throw ValidationError("--round and --ending are exclusive") }
        if let floor, floor <= 0 { throw ValidationError("--floor must be a positive price") }
        if let ceiling, ceiling <= 0 { throw ValidationError("--ceiling must be a positive price") }
    }

    func run() async throws {
        try await Failure.reporting {
            if runs || showRun != nil { return try listRuns() }
            let options = try CounterOptions.parse(["--wait", String(wait)] + (json ? ["--json"] : []))
            let counter = try Counter.open(options)
            let plan = try await preview(counter)
            show(plan)
            if dryRun { return }
            if let problem = plan.problems.first { throw Failure.configuration(problem) }
            guard !plan.items.isEmpty else { throw Failure.failed(plan.undoes == nil ? "the rule changes no price in this selection: nothing to send" : "nothing left to undo") }
            guard try confirmed(plan) else {
                Console.out("nothing sent (--yes sends it)\n")
                return
            }
            let run: RepriceRun
            do {
                run = try counter.inventory.reprice.record(plan, user: counter.user)
            } catch let refusal as ActionRefusal {
                throw Failure.failed(refusal.description)
            }
            let settled = try await settle(run, counter)
            Console.out(RepriceText.run(settled) + "\n")
            for item in try counter.inventory.reprice.items(run: run.id) where item.state == .conflict || item.state == .failed {
                Console.error("listing \(item.listingID): \(item.state.rawValue.uppercased()): \(item.message ?? "")")
            }
            if (settled.counts[.failed] ?? 0) + (settled.counts[.conflict] ?? 0) > 0 { throw ExitStatus.failure.code }
            if settled.open > 0 { throw ExitStatus.queued.code }
        }
    }

    private func preview(_ counter: Counter) async throws -> RepricePlan {
        let reprice = counter.inventory.reprice
        if let undo {
            do {
                return try reprice.inverse(of: undo)
            } catch let refusal as ActionRefusal {
                throw Failure.configuration(refusal.description)
            }
        }
        guard let text = rule, let adjustment = RepriceRule.adjustment(text) else { throw Failure.configuration("no rule") }
        let settings = counter.context.settings
        var rounding = PriceRounding.none
        if let round {
            guard let step = PriceRounding(round), case .step = step else { throw Failure.configuration("--round \(round) is not a step: 0.50, 1") }
            rounding = step
        } else if let ending {
            guard let parsed = PriceRounding(ending.hasPrefix(".") ? ending : "." + ending), case .ending = parsed else {
                throw Failure.configuration("--ending \(ending) is not an ending: .99, .50")
            }
            rounding = parsed
        }
        if let ceiling, ceiling > settings.maxPrice {
            throw Failure.configuration("--ceiling \(String(format: "%.2f", ceiling)) is above the shop's limit of \(String(format: "%.2f", settings.maxPrice)) (WAX_MAX_PRICE)")
        }
        // A rule that goes past the shop's limit is refused, not clamped: only a ceiling staff gave clamps.
        let rule = RepriceRule(adjustment, rounding: rounding, floor: floor, ceiling: ceiling)
        var query = try filters.listingQuery()
        query.includeRemoved = false
        let ids = try counter.inventory.searchIDs(query)
        var candidates = try reprice.candidates(ids: ids)
        var selection = FilterSummary.selection(query)
        if let olderThan {
            let cutoff = try SinceOption(parsing: olderThan).date
            candidates = candidates.filter { ($0.posted ?? .distantFuture) < cutoff }
            selection += ", posted before \(LocalTime.system.day(cutoff))"
        }
        guard !candidates.isEmpty else { throw Failure.failed("no listing matches \(selection): nothing to reprice") }
        let prices = try await releasePrices(for: candidates, rule: rule, counter: counter)
        return RepricePlanner.plan(candidates, rule: rule, selection: selection, shopCurrency: try counter.inventory.intake.shopCurrency(),
                                   prices: prices, priceLimit: settings.maxPrice)
    }

    /// Discogs' suggestions or market for each release, when the rule needs them: one
    /// request per release (said first, with what it costs).
    private func releasePrices(for candidates: [RepriceCandidate], rule: RepriceRule, counter: Counter) async throws -> [Int64: ReleasePrices] {
        guard rule.needsSuggestions || rule.needsMarket else { return [:] }
        guard let client = counter.client else {
            throw Failure.configuration("\(rule.adjustment == .toSuggestion ? "to-suggestion" : "min-market") asks Discogs about each release: it needs the seller's DISCOGS_TOKEN here")
        }
        let releases = Array(Set(candidates.compactMap(\.releaseID))).sorted()
        Console.error("asking Discogs about \(releases.count) release\(releases.count == 1 ? "" : "s") (\(releases.count) requests, about \(max(1, releases.count / 55)) min under the rate window)…")
        let currency = try counter.inventory.intake.shopCurrency()
        var prices: [Int64: ReleasePrices] = [:]
        for release in releases {
            var facts = ReleasePrices()
            do {
                if rule.needsSuggestions, case .suggested(let suggested) = try await client.priceSuggestions(releaseID: release) { facts.suggestions = suggested }
                if rule.needsMarket { facts.lowest = try await client.marketStats(releaseID: release, currency: currency).lowest }
            } catch let error as DiscogsError {
                throw Failure.failed("Discogs: \(error)")
            }
            prices[release] = facts
        }
        return prices
    }

    private func show(_ plan: RepricePlan) {
        if json {
            Console.out(JSONValue.object([
                "rule": .string(plan.rule), "selection": .string(plan.selection), "up": .int(Int64(plan.up)), "down": .int(Int64(plan.down)),
                "unchanged": .int(Int64(plan.unchanged)), "other_currency": .int(Int64(plan.otherCurrency)), "no_data": .int(Int64(plan.noData)),
                "value_before": .double(plan.valueBefore), "value_after": .double(plan.valueAfter),
                "problems": .array(plan.problems.map(JSONValue.string)),
                "items": .array(plan.items.map { item in
                    .object(["listing_id": .string(String(item.listingID)), "old_price": .double(item.oldPrice), "new_price": .double(item.newPrice),
                             "currency": JSONValue(item.currency), "reason": .string(item.reason), "artist": JSONValue(item.artist),
                             "title": JSONValue(item.title), "location": JSONValue(item.location)])
                }),
            ]).prettyText + "\n")
            return
        }
        if csv {
            var lines = [CSVReader.line(["listing_id", "old_price", "new_price", "currency", "reason", "artist", "title", "location"])]
            for item in plan.items {
                lines.append(CSVReader.line([String(item.listingID), String(format: "%.2f", item.oldPrice), String(format: "%.2f", item.newPrice),
                                             item.currency ?? "", item.reason, item.artist ?? "", item.title ?? "", item.location ?? ""]))
            }
            Console.out(lines.joined(separator: "\n") + "\n")
            return
        }
        var table = TextTable(columns: [.init("Listing", minimum: 10), .init("Price", minimum: 14), .init("Why", minimum: 6),
                                        .init("Artist – Title", minimum: 12), .init("Bin", minimum: 3)])
        let shown = Console.isTerminal && plan.items.count > 60 ? Array(plan.items.prefix(50)) : plan.items
        for item in shown {
            let row = RepriceText.row(item)
            table.rows.append([row.listing, row.change, row.reason, row.record, row.bin])
        }
        var text = "\(plan.rule) over \(plan.selection)\n"
        if !plan.items.isEmpty { text += table.render(maxWidth: Console.terminalWidth) }
        if shown.count < plan.items.count { text += "… and \(plan.items.count - shown.count) more (--csv or --json lists them all)\n" }
        text += RepriceText.totals(plan) + "\n"
        if !plan.items.isEmpty { text += RepriceText.sending(plan, threshold: RepriceStore.jobThreshold) + "\n" }
        Console.out(text)
        for problem in plan.problems { Console.error(problem) }
    }

    private func confirmed(_ plan: RepricePlan) throws -> Bool {
        if yes { return true }
        guard Console.isTerminal, isatty(STDIN_FILENO) == 1 else { return false }
        Console.out("Send \(plan.items.count) new price\(plan.items.count == 1 ? "" : "s") to Discogs? [y/N] ")
        return readLine()?.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("y") == true
    }

    /// Sends (when this wax can) and waits for the run to be confirmed or for `wait` to run out.
    private func settle(_ run: RepriceRun, _ counter: Counter) async throws -> RepriceRun {
        let deadline = Date().addingTimeInterval(max(0, wait))
        var latest = run
        while latest.open > 0, Date() < deadline {
            if let reason = await counter.send(until: deadline, trigger: "wax reprice") { throw Failure.failed(reason) }
            latest = try counter.inventory.reprice.run(id: run.id) ?? latest
            if latest.open > 0 { try await Task.sleep(for: .seconds(1)) }
            latest = try counter.inventory.reprice.run(id: run.id) ?? latest
        }
        return latest
    }

    private func listRuns() throws {
        let inventory = try AppContext.load().openInventory()
        if let id = showRun {
            guard let run = try inventory.reprice.run(id: id) else { throw Failure.configuration("no reprice run \(id) in the mirror (wax reprice --runs lists them)") }
            let items = try inventory.reprice.items(run: id)
            if json {
                Console.out(JSONValue.array(items.map { item in
                    .object(["listing_id": .string(String(item.listingID)), "old_price": .double(item.oldPrice), "new_price": .double(item.newPrice),
                             "currency": JSONValue(item.currency), "reason": .string(item.reason), "state": .string(item.state.rawValue),
                             "message": JSONValue(item.message)])
                }).prettyText + "\n")
                return
            }
            var table = TextTable(columns: [.init("Listing", minimum: 10), .init("Price", minimum: 14), .init("State", minimum: 9),
                                            .init("Artist – Title", minimum: 12), .init("Why", minimum: 6)])
            for item in items {
                let row = RepriceText.row(item)
                table.rows.append([row.listing, row.change, item.state.rawValue, row.record, item.message ?? row.reason])
            }
            Console.out(RepriceText.run(run) + "\n" + table.render(maxWidth: Console.terminalWidth))
            return
        }
        let runs = try inventory.reprice.runs(limit: 20)
        if json {
            Console.out(JSONValue.array(runs.map { run in
                .object(["id": .int(run.id), "user": .string(run.user), "created_at": .string(Timestamp.string(run.createdAt)), "rule": .string(run.rule),
                         "selection": .string(run.selection), "method": .string(run.method.rawValue), "undoes": JSONValue(run.undoes.map(String.init)),
                         "counts": .object(Dictionary(uniqueKeysWithValues: run.counts.map { ($0.key.rawValue, JSONValue.int(Int64($0.value))) }))])
            }).prettyText + "\n")
            return
        }
        Console.out(runs.isEmpty ? "no reprice runs yet\n" : runs.map { RepriceText.run($0) }.joined(separator: "\n") + "\n")
    }
}

import Foundation
import Testing
import WaxConfig
import WaxStore

/// What a reprice rule does to prices, before anything is sent (issue 20).
@Suite struct RepricePlanTests {
    let listings = [
        RepriceCandidate(listingID: 1, releaseID: 10, price: 10, currency: "USD", condition: .veryGoodPlus),
        RepriceCandidate(listingID: 2, releaseID: 11, price: 2, currency: "USD", condition: .nearMint),
        RepriceCandidate(listingID: 3, releaseID: 12, price: 50, currency: "EUR", condition: .good),
        RepriceCandidate(listingID: 4, releaseID: 13, price: 1.09, currency: "USD", condition: .poor),
    ]

    func plan(_ rule: RepriceRule, prices: [Int64: ReleasePrices] = [:], limit: Double = 10_000) -> RepricePlan {
        RepricePlanner.plan(listings, rule: rule, selection: "test", shopCurrency: "USD", prices: prices, priceLimit: limit)
    }

    @Test func rulesRoundClampAndSayWhy() {
        let down = plan(RepriceRule(.percent(-15), rounding: .ending(0.99), floor: 1))
        // To the nearest .99: 8.50 → 8.99, 1.70 → 1.99; 0.93 → 0.99, under the floor → 1.00.
        #expect(down.items.map(\.newPrice) == [8.99, 1.99, 1])
        #expect(down.items.map(\.reason) == ["-15%", "-15%", "-15% (floor)"])
        #expect(down.otherCurrency == 1, "a EUR listing is left out of a USD shop's rule")
        #expect(down.down == 3 && down.up == 0)
        #expect(abs(down.valueBefore - 13.09) < 0.001 && abs(down.valueAfter - 11.98) < 0.001)

        let set = plan(RepriceRule(.set(2)))
        #expect(set.items.map(\.listingID) == [1, 4] && set.unchanged == 1)
        let capped = plan(RepriceRule(.percent(100), ceiling: 15))
        #expect(capped.items.first?.newPrice == 15 && capped.items.first?.reason == "+100% (ceiling)")
    }

    @Test func rulesThatGoTooFarAreProblemsNotPrices() {
        #expect(plan(RepriceRule(.set(20_000))).problems.first?.contains("above the shop's ceiling of 10000.00") == true)
        #expect(plan(RepriceRule(.percent(-99.999))).problems.first?.contains("at or below zero") == true)
        #expect(plan(RepriceRule(.percent(10))).problems.isEmpty)
    }

    @Test func discogsRulesUseTheGradeAndTheMarket() {
        let prices: [Int64: ReleasePrices] = [
            10: ReleasePrices(suggestions: [.veryGoodPlus: Money(value: 12.3456, currency: "USD")], lowest: Money(value: 11, currency: "USD")),
            11: ReleasePrices(suggestions: [:], lowest: Money(value: 1.5, currency: "USD")),
        ]
        let suggested = plan(RepriceRule(.toSuggestion, rounding: .step(0.5)), prices: prices)
        #expect(suggested.items.map(\.newPrice) == [12.5] && suggested.noData == 2)
        let market = plan(RepriceRule(.minMarket), prices: prices)
        #expect(market.items.map(\.newPrice) == [11] && market.unchanged == 1 && market.noData == 1)
    }

    @Test func aRuleIsReadAsStaffTypeIt() {
        #expect(RepriceRule(parsing: "-15% .99 floor 1")?.description == "-15%, rounded .99, floor 1.00")
        #expect(RepriceRule(parsing: "+10% 0.50 ceiling 40")?.description == "+10%, rounded 0.50, ceiling 40.00")
        #expect(RepriceRule(parsing: "=12")?.adjustment == .set(12))
        #expect(RepriceRule(parsing: "to-suggestion")?.adjustment == .toSuggestion)
        #expect(RepriceRule(parsing: "+ten") == nil && RepriceRule(parsing: "-100%") == nil && RepriceRule(parsing: "-15% floor") == nil)
    }
}

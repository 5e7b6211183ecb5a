/// Something that reads or writes every field of a `ListingRecord` in turn: the spool a large
/// snapshot is written to writes them, and reads them back through the same walk.
protocol ListingFieldVisitor {
    mutating func visit(_ value: inout Int64)
    mutating func visit(_ value: inout Int64?)
    mutating func visit(_ value: inout Int?)
    mutating func visit(_ value: inout Double?)
    mutating func visit(_ value: inout Bool?)
    mutating func visit(_ value: inout String?)
}

extension ListingRecord {
    /// Every stored property, once, in declaration order. A test checks the walk meets as many
    /// values as the record has properties, so a new field can't be left out of the spool.
    mutating func visitFields<Visitor: ListingFieldVisitor>(_ visitor: inout Visitor) {
        visitor.visit(&listingID)
        var statusText: String? = status.rawValue
        visitor.visit(&statusText)
        status = ListingStatus(rawValue: statusText ?? "")
        visitor.visit(&condition)
        visitor.visit(&sleeveCondition)
        visitor.visit(&posted)
        visitor.visit(&priceValue)
        visitor.visit(&priceCurrency)
        visitor.visit(&originalPriceValue)
        visitor.visit(&originalPriceCurrency)
        visitor.visit(&shippingPrice)
        visitor.visit(&shippingCurrency)
        visitor.visit(&allowOffers)
        visitor.visit(&shipsFrom)
        visitor.visit(&comments)
        visitor.visit(&uri)
        visitor.visit(&resourceURL)
        visitor.visit(&weight)
        visitor.visit(&estimatedWeight)
        visitor.visit(&formatQuantity)
        visitor.visit(&externalID)
        visitor.visit(&location)
        visitor.visit(&quantity)
        visitor.visit(&releaseID)
        visitor.visit(&artist)
        visitor.visit(&title)
        visitor.visit(&label)
        visitor.visit(&catalogNumber)
        visitor.visit(&format)
        visitor.visit(&year)
        visitor.visit(&releaseDescription)
        visitor.visit(&releaseResourceURL)
        visitor.visit(&thumbnailURL)
        visitor.visit(&imageURI)
        visitor.visit(&imageResourceURL)
        visitor.visit(&communityHave)
        visitor.visit(&communityWant)
        visitor.visit(&sellerUsername)
        visitor.visit(&rawJSON)
        // One property: whether it is there, then its two fields.
        var hasLegacy: Bool? = legacy != nil
        var exportTimestamp = legacy?.exportTimestamp, primaryLabel = legacy?.primaryLabel
        visitor.visit(&hasLegacy)
        visitor.visit(&exportTimestamp)
        visitor.visit(&primaryLabel)
        legacy = hasLegacy == true ? LegacyFields(exportTimestamp: exportTimestamp, primaryLabel: primaryLabel) : nil
    }
}

import GRDB

/// The mirror's schema, as an append-only list of migrations: a released migration is never
/// edited; a change is a new migration.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: listings, releases, facets, full-text index, sync history") { db in
            try db.execute(sql: v1)
            try FullTextIndex.createTriggers(db, columns: FullTextIndex.v1Columns)
        }
        migrator.registerMigration("v2: natural shelf order, format parts, scanner codes, first-stored order, the old CSV's own columns") { db in
            try v2(db)
        }
        migrator.registerMigration("v3: full-text content views in id order") { db in
            try db.execute(sql: "DROP VIEW current_listings; DROP VIEW removed_listings")
            try FullTextIndex.createViews(db, columns: FullTextIndex.v2Columns)
        }
        migrator.registerMigration("v4: the outbox of staff actions, holds, who changed what") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5: Discogs orders, their items and messages, the shared pick list") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6: double sales per item, kept until staff resolve them") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("v7: a counter per kind of change; orders whose messages are still to read") { db in
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('holds_generation', '0')")
            // An order stored before its messages were read (a poll reads a few orders'
            // messages; it stores every order at once, for the records they take off sale).
            try db.execute(sql: "ALTER TABLE orders ADD COLUMN messages_pending INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v8: stickers of listed records, waiting to be printed") { db in
            try db.execute(sql: v8)
        }
        migrator.registerMigration("v9: reprice runs, their listings, and the action that sends a run as one job") { db in
            try db.execute(sql: v9)
        }
        return migrator
    }

    /// A reprice run: who, when, the rule and the selection it was over; each listing's old and
    /// new price and what became of it. A small run is sent as ordinary price edits (each item
    /// names its action); a large one as one change job (the run's action, `actions.run_id`).
    static let v9 = """
    CREATE TABLE reprice_runs (
        id          INTEGER PRIMARY KEY,
        user        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        rule        TEXT NOT NULL,
        selection   TEXT NOT NULL,
        method      TEXT NOT NULL CHECK (method IN ('edits', 'job')),
        undoes      INTEGER REFERENCES reprice_runs(id),
        job_url     TEXT,
        job_status  TEXT,
        finished_at TEXT
    );
    CREATE TABLE reprice_items (
        run_id      INTEGER NOT NULL REFERENCES reprice_runs(id),
        position    INTEGER NOT NULL,               -- the preview's order
        listing_id  INTEGER NOT NULL,
        release_id  INTEGER,
        old_price   REAL NOT NULL,
        new_price   REAL NOT NULL,
        currency    TEXT,
        reason      TEXT NOT NULL,
        action_id   INTEGER REFERENCES actions(id),
        state       TEXT NOT NULL DEFAULT 'queued',
        message     TEXT,
        PRIMARY KEY (run_id, listing_id)
    ) WITHOUT ROWID;
    ALTER TABLE actions ADD COLUMN run_id INTEGER REFERENCES reprice_runs(id);
    """

    /// A sticker per record intake listed, queued when Discogs confirmed it (the listing id is
    /// known then), until `wax labels` or the browser prints it.
    static let v8 = """
    CREATE TABLE stickers (
        listing_id  INTEGER PRIMARY KEY,
        queued_at   TEXT NOT NULL,
        printed_at  TEXT,
        user        TEXT
    );
    CREATE INDEX stickers_waiting ON stickers(printed_at, queued_at);
    """

    /// A double sale is an item of an order that buys a record the shop had already taken off
    /// sale (sold at the counter, held for a customer), whatever became of the shop's action on
    /// Discogs. It stays flagged until staff resolve it (the order cancelled, the hold given
    /// up), with who did. Per item: an order of two records may double-sell one. The orders'
    /// old one-line reason moves here.
    static let v6 = """
    CREATE TABLE double_sales (
        order_id     TEXT NOT NULL,
        listing_id   INTEGER NOT NULL,
        cause        TEXT NOT NULL CHECK (cause IN ('sell', 'hold')),
        user         TEXT NOT NULL,                 -- who sold or held it at the counter
        customer     TEXT,                          -- the hold's note: whom to call
        action_id    INTEGER REFERENCES actions(id),
        flagged_at   TEXT NOT NULL,
        resolved_at  TEXT,
        resolved_by  TEXT,
        resolution   TEXT,                          -- "order cancelled", "hold given up"…
        PRIMARY KEY (order_id, listing_id)
    );
    CREATE INDEX double_sales_open ON double_sales(order_id) WHERE resolved_at IS NULL;
    INSERT INTO double_sales(order_id, listing_id, cause, user, flagged_at)
        SELECT o.order_id, (SELECT min(i.listing_id) FROM order_items i WHERE i.order_id = o.order_id),
               CASE WHEN o.double_sale LIKE 'held%' THEN 'hold' ELSE 'sell' END,
               trim(substr(o.double_sale, instr(o.double_sale, ' by ') + 4)), o.updated_at
        FROM orders o WHERE o.double_sale IS NOT NULL;
    ALTER TABLE orders DROP COLUMN double_sale;
    """

    /// Counter actions go to Discogs through `actions`, a durable outbox: a row is written (with
    /// the listing's new local state) before anything is sent, so nothing is lost across a
    /// crash, and each row is confirmed once. `holds` marks listings kept aside for a customer
    /// (a Draft on Discogs because of wax). History rows say who did what.
    /// Orders as Discogs describes them (raw JSON kept, as for listings), their items (pointing at
    /// listings by id), messages, and the pick list's marks (in the mirror, so two staff share one).
    static let v5 = """
    CREATE TABLE orders (
        order_id          TEXT PRIMARY KEY,          -- "1234567-12"
        status            TEXT NOT NULL,
        next_status       TEXT,                      -- JSON array, as Discogs sent it
        created           TEXT,                      -- as Discogs sent it
        created_at        INTEGER,                   -- UTC seconds
        last_activity     TEXT,
        last_activity_at  INTEGER,
        buyer             TEXT,
        total_value       REAL,
        total_currency    TEXT,
        fee_value         REAL,
        fee_currency      TEXT,
        shipping_method   TEXT,
        shipping_value    REAL,
        shipping_currency TEXT,
        shipping_address  TEXT,
        instructions      TEXT,
        archived          INTEGER NOT NULL DEFAULT 0,
        json              TEXT,
        first_seen_at     TEXT NOT NULL,
        updated_at        TEXT NOT NULL,
        double_sale       TEXT                       -- why this order sells what wax had taken off sale
    );
    CREATE INDEX orders_by_activity ON orders(last_activity_at);
    CREATE TABLE order_items (
        order_id         TEXT NOT NULL REFERENCES orders(order_id),
        position         INTEGER NOT NULL,
        listing_id       INTEGER NOT NULL,
        release_id       INTEGER,
        description      TEXT,
        price_value      REAL,
        price_currency   TEXT,
        media_condition  TEXT,
        sleeve_condition TEXT,
        PRIMARY KEY (order_id, position)
    );
    CREATE INDEX order_items_by_listing ON order_items(listing_id);
    CREATE TABLE order_messages (
        order_id  TEXT NOT NULL REFERENCES orders(order_id),
        position  INTEGER NOT NULL,                  -- 0 = newest, as Discogs lists them
        type      TEXT,
        subject   TEXT,
        message   TEXT,
        sent_at   TEXT,
        from_user TEXT,
        PRIMARY KEY (order_id, position)
    );
    CREATE TABLE pick_marks (
        order_id   TEXT NOT NULL,
        listing_id INTEGER NOT NULL,
        user       TEXT NOT NULL,
        picked_at  TEXT NOT NULL,
        PRIMARY KEY (order_id, listing_id)
    );
    INSERT INTO meta(key, value) VALUES ('orders_generation', '0');
    """

    static let v4 = """
    CREATE TABLE actions (
        id              INTEGER PRIMARY KEY,
        kind            TEXT NOT NULL,               -- ActionKind
        listing_id      INTEGER,                     -- the listing acted on, or
        order_id        TEXT,                        -- the order (a status change)
        user            TEXT NOT NULL,               -- the staff member's Unix login
        created_at      TEXT NOT NULL,
        expected        TEXT NOT NULL,               -- JSON ListingFields: what the staff member saw
        change          TEXT NOT NULL,               -- JSON ListingFields: what goes to Discogs
        note            TEXT,
        state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'confirmed', 'conflict', 'failed', 'cancelled')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        message         TEXT,
        updated_at      TEXT NOT NULL,
        undoes          INTEGER REFERENCES actions(id)
    );
    CREATE INDEX actions_open ON actions(id) WHERE state IN ('queued', 'sending', 'sent');
    CREATE INDEX actions_by_listing ON actions(listing_id);
    CREATE INDEX actions_by_user ON actions(user, id);

    CREATE TABLE holds (
        listing_id INTEGER PRIMARY KEY,
        user       TEXT NOT NULL,
        note       TEXT,
        held_at    TEXT NOT NULL,
        action_id  INTEGER REFERENCES actions(id)
    );

    ALTER TABLE listing_changes ADD COLUMN user TEXT;
    ALTER TABLE listing_changes ADD COLUMN action_id INTEGER;

    -- Outbox progress that changes no listing bumps this instead of `generation`, so that
    -- browsers refresh their status bar without reloading their index.
    INSERT INTO meta(key, value) VALUES ('outbox_generation', '0');
    """

    /// New columns, the full-text index over the scanner codes, a default order whose ties keep
    /// the order rows were first stored in, and every row's derived columns computed again
    /// (shelf keys in natural order, formats as parts, codes).
    static func v2(_ db: Database) throws {
        try db.execute(sql: """
        ALTER TABLE listings ADD COLUMN search_codes TEXT;
        ALTER TABLE listings ADD COLUMN seq INTEGER;
        ALTER TABLE listings ADD COLUMN exported_at TEXT;
        ALTER TABLE listings ADD COLUMN primary_label TEXT;
        DROP INDEX l_scan;
        CREATE INDEX l_scan ON listings(posted_at DESC, seq, artist_fid, label_fid, format_fid, genre_fid,
            style_fid, location_fid, condition_fid, sleeve_fid, status_fid, price_value, year, condition_rank, release_id)
            WHERE removed_at IS NULL;
        """)
        try FullTextIndex.dropTables(db)
        try FullTextIndex.createTables(db, columns: FullTextIndex.v2Columns)
        // First-stored order, as well as it can be told now: when first seen, then by id.
        let ids = try Int64.fetchAll(db, sql: "SELECT listing_id FROM listings ORDER BY first_seen_at, listing_id")
        let numbering = try db.makeStatement(sql: "UPDATE listings SET seq = ? WHERE listing_id = ?")
        for (index, id) in ids.enumerated() { try numbering.execute(arguments: [index + 1, id]) }
        // The derived columns whose meaning changed, by targeted updates (a migration never
        // goes through today's writer: it would write columns a later schema adds).
        let facets = try FacetIDAllocator(db)
        let update = try db.makeStatement(sql: "UPDATE listings SET location_key = ?, format_fid = ?, search_codes = ? WHERE listing_id = ?")
        let rows = try Row.fetchCursor(db, sql: """
            SELECT l.listing_id, l.location, l.format, l.catalog_number, l.external_id, r.barcodes
            FROM listings l LEFT JOIN releases r ON r.release_id = l.release_id
            """)
        var changes: [(Int64, String?, Int64?, String?)] = []
        while let row = try rows.next() {
            var record = ListingRecord(listingID: row[0])
            record.location = row[1]
            record.format = row[2]
            record.catalogNumber = row[3]
            record.externalID = row[4]
            changes.append((record.listingID, NaturalKey.of(record.location), try facets.id(.format, FormatParts.joined(record.format)),
                            SearchCodes.of(record, barcodes: ListText.decode(row[5]))))
        }
        for (id, locationKey, formatID, codes) in changes { try update.execute(arguments: [locationKey, formatID, codes, id]) }
        try FullTextIndex.rebuild(db)
        try FullTextIndex.createTriggers(db, columns: FullTextIndex.v2Columns)
    }

    static let v1 = """
    CREATE TABLE listings (
        listing_id              INTEGER PRIMARY KEY,   -- Discogs ids pass 2^32: SQLite integers are 64-bit
        status                  TEXT NOT NULL,
        condition               TEXT,
        sleeve_condition        TEXT,
        condition_rank          INTEGER,               -- 8 = Mint … 1 = Poor, for sorting
        posted                  TEXT,                  -- as Discogs sent it
        posted_at               INTEGER,               -- the same instant, UTC seconds, sortable
        price_value             REAL,
        price_currency          TEXT,
        original_price_value    REAL,
        original_price_currency TEXT,
        shipping_price          REAL,                  -- NULL when Discogs sent {}
        shipping_currency       TEXT,
        allow_offers            INTEGER,
        ships_from              TEXT,
        comments                TEXT,
        uri                     TEXT,                  -- NULL when it is the canonical URL for the id
        resource_url            TEXT,                  -- (ditto): a third of a row was URLs that
                                                       -- follow from the ids
        weight                  REAL,                  -- owner-only fields from here …
        estimated_weight        INTEGER,
        format_quantity         INTEGER,
        external_id             TEXT,
        location                TEXT,
        quantity                INTEGER,               -- … to here
        release_id              INTEGER,
        artist                  TEXT,
        title                   TEXT,
        label                   TEXT,
        catalog_number          TEXT,
        format                  TEXT,
        year                    INTEGER,               -- NULL when unknown (Discogs sends 0)
        release_description     TEXT,
        release_resource_url    TEXT,                  -- NULL when canonical for release_id
        thumbnail_url           TEXT,
        image_uri               TEXT,
        image_resource_url      TEXT,                  -- NULL when the same as image_uri
        community_have          INTEGER,
        community_want          INTEGER,
        seller_username         TEXT,
        genres                  TEXT,                  -- from releases, '; '-joined
        styles                  TEXT,
        artist_key              TEXT,                  -- folded (case, accents) for sorting
        title_key               TEXT,
        location_key            TEXT,
        artist_fid              INTEGER,               -- facet_values ids: filters and counts
        label_fid               INTEGER,
        format_fid              INTEGER,
        genre_fid               INTEGER,
        style_fid               INTEGER,
        location_fid            INTEGER,
        condition_fid           INTEGER,
        sleeve_fid              INTEGER,
        status_fid              INTEGER,
        content_hash            INTEGER,               -- ContentHash of the record: finds changes cheaply
        first_seen_at           TEXT NOT NULL,
        updated_at              TEXT NOT NULL,
        removed_at              TEXT,                  -- listings are never deleted: sold ones keep their row
        removed_reason          TEXT
    );

    -- What Discogs sent for each listing, minus the seller object (kept once in `sellers`).
    CREATE TABLE listing_raw (
        listing_id INTEGER PRIMARY KEY REFERENCES listings(listing_id) ON DELETE CASCADE,
        json       TEXT NOT NULL
    );

    CREATE TABLE sellers (
        seller_id  INTEGER PRIMARY KEY,
        username   TEXT NOT NULL,
        json       TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );

    CREATE TABLE releases (
        release_id     INTEGER PRIMARY KEY,
        title          TEXT,
        year           INTEGER,
        country        TEXT,
        barcodes       TEXT,    -- JSON array
        master_id      INTEGER,
        master_url     TEXT,
        uri            TEXT,
        resource_url   TEXT,
        artists        TEXT,    -- JSON array of names
        labels         TEXT,    -- JSON array of {name, catalogNumber}
        formats        TEXT,    -- JSON array of {name, quantity, descriptions}
        genres         TEXT,    -- JSON array
        styles         TEXT,    -- JSON array
        tracklist      TEXT,    -- JSON array of {position, title, duration}
        community_have INTEGER,
        community_want INTEGER,
        rating_average REAL,
        rating_count   INTEGER,
        source         TEXT NOT NULL CHECK (source IN ('discogs', 'csv')),
        fetched_at     TEXT,    -- NULL until Discogs answered: enrichment fetches these
        raw_json       TEXT
    );

    -- One row per distinct filter value: listings point at these ids, so a filter is an
    -- integer test and facets are counted without string work.
    CREATE TABLE facet_values (
        id    INTEGER PRIMARY KEY,
        kind  TEXT NOT NULL,
        key   TEXT NOT NULL,    -- folded, what filters match against
        label TEXT NOT NULL,    -- as first seen, what the filter pane shows
        UNIQUE (kind, key)
    );

    CREATE TABLE sync_runs (
        id           INTEGER PRIMARY KEY,
        trigger      TEXT NOT NULL,         -- start-up, schedule, key, cli, api, import
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        outcome      TEXT NOT NULL,         -- running, succeeded, failed
        added        INTEGER NOT NULL DEFAULT 0,
        updated      INTEGER NOT NULL DEFAULT 0,
        removed      INTEGER NOT NULL DEFAULT 0,
        unchanged    INTEGER NOT NULL DEFAULT 0,
        total        INTEGER NOT NULL DEFAULT 0,
        requests     INTEGER NOT NULL DEFAULT 0,
        unreachable  INTEGER NOT NULL DEFAULT 0,
        error        TEXT,
        host         TEXT,
        pid          INTEGER
    );

    CREATE TABLE listing_changes (
        id          INTEGER PRIMARY KEY,
        sync_run_id INTEGER REFERENCES sync_runs(id),
        listing_id  INTEGER NOT NULL,
        change      TEXT NOT NULL CHECK (change IN ('added', 'updated', 'removed')),
        field       TEXT,
        old_value   TEXT,
        new_value   TEXT,
        changed_at  TEXT NOT NULL
    );
    CREATE INDEX listing_changes_by_time ON listing_changes(changed_at);
    CREATE INDEX listing_changes_by_listing ON listing_changes(listing_id);

    -- `generation` goes up with every committed write, so readers (other wax processes
    -- included) know when what they show is stale.
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta(key, value) VALUES ('generation', '0');

    -- Few indexes: each costs ~0.2 s per 100,000 rows on a bulk import, and queries over current
    -- listings are answered from an in-memory index (InventoryIndex) that is loaded from these.
    -- l_scan holds every filter column of current listings in the default order: loading the
    -- in-memory index reads it alone, as does finding releases that lack details. (Partial:
    -- removed listings pile up over the years.)
    CREATE INDEX l_scan ON listings(posted_at DESC, listing_id DESC, artist_fid, label_fid, format_fid, genre_fid,
        style_fid, location_fid, condition_fid, sleeve_fid, status_fid, price_value, year, condition_rank, release_id)
        WHERE removed_at IS NULL;
    -- Text sort keys, read in order when someone first sorts by artist, title or location.
    CREATE INDEX l_artist_key ON listings(artist_key) WHERE removed_at IS NULL;
    CREATE INDEX l_title_key ON listings(title_key) WHERE removed_at IS NULL;
    CREATE INDEX l_location_key ON listings(location_key) WHERE removed_at IS NULL;
    -- Storing a release refreshes the genres of its listings.
    CREATE INDEX l_release ON listings(release_id);
    CREATE INDEX l_removed ON listings(removed_at) WHERE removed_at IS NOT NULL;

    -- Two full-text indexes: one over current listings (what every search reads, with a one-letter
    -- prefix index: search-as-you-type starts with one letter, which otherwise merges thousands of
    -- terms; a two-letter index cost another second per 100,000 rows to build for little gain),
    -- one over removed listings (searched only when asked to include them). Each listing is in
    -- exactly one.
    CREATE VIEW current_listings AS
        SELECT listing_id, artist, title, label, catalog_number, genres, styles, location, comments
        FROM listings WHERE removed_at IS NULL;
    CREATE VIEW removed_listings AS
        SELECT listing_id, artist, title, label, catalog_number, genres, styles, location, comments
        FROM listings WHERE removed_at IS NOT NULL;
    CREATE VIRTUAL TABLE listings_fts USING fts5(
        artist, title, label, catalog_number, genres, styles, location, comments,
        content='current_listings', content_rowid='listing_id',
        tokenize="unicode61 remove_diacritics 2", prefix='1');
    CREATE VIRTUAL TABLE removed_fts USING fts5(
        artist, title, label, catalog_number, genres, styles, location, comments,
        content='removed_listings', content_rowid='listing_id',
        tokenize="unicode61 remove_diacritics 2");
    """
}

/// The words a generated shop is made of. Names are built from parts so that thousands of
/// distinct artists and labels exist, with a handful of real-world names (in several scripts and
/// with accents) among the most frequent, so search and folding get exercised.
enum Vocabulary {
    static let artistPoolSize = 20_000
    static let labelPoolSize = 3_000

    static let famousArtists = [
        "Various", "Björk", "Sigur Rós", "Tschüssi", "The Beatles", "Beat Happening", "Moodymann", "Theo Parrish",
        "Larry Heard", "Kerri Chandra", "Aphex Twin", "Boards Of Canada", "坂本龍一", "細野晴臣", "Café Tacvba",
        "Françoise Hardy", "Serge Gainsbourg", "Nina Simone", "Miles Davis", "Fela Kuti", "Lee \"Scratch\" Perry",
        "King Tubby", "Augustus Pablo", "Beenie Man", "Buccaneer", "Anthony B", "Daft Punk", "Stereolab",
        "Motörhead", "Die Ärzte", "Mötley Crüe", "Os Mutantes", "Jorge Ben", "Ryōji Ikeda", "Ólafur Arnalds",
        "The Crystal Method", "Channel 69", "Strictly Rhythm All Stars", "DJ Sprinkles", "Kraftwerk",
    ]
    static let firstNames = [
        "John", "Paul", "Marvin", "Aretha", "Nina", "Miles", "Herbie", "Theo", "Kerri", "Larry", "Frankie", "Jeff",
        "Carl", "Derrick", "Juan", "Kevin", "Robert", "Alice", "Pharoah", "Tony", "Lee", "Dennis", "Gregory", "Bob",
        "Peter", "Jimmy", "Grace", "Donna", "Diana", "Chaka", "Roy", "Bill", "Ella", "Billie", "Sarah", "Stevie",
        "David", "Brian", "Kate", "Tom", "Neil", "Joni", "Leonard", "José", "Zoë", "Søren", "Åsa", "Jürgen", "Renée",
        "Björn", "Haruomi", "Yukihiro", "Ornette", "Dexter", "Wayne", "Iggy", "Patti", "Debbie", "Ian", "Bernard",
    ]
    static let lastNames = [
        "Gaye", "Franklin", "Simone", "Davis", "Hancock", "Parrish", "Heard", "Levan", "Knuckles", "Mills", "Craig",
        "May", "Atkins", "Saunderson", "Hood", "Coltrane", "Sanders", "Allen", "Perry", "Brown", "Isaacs", "Marley",
        "Tosh", "Cliff", "Jones", "Summer", "Ross", "Khan", "Ayers", "Withers", "Fitzgerald", "Holiday", "Vaughan",
        "Wonder", "Bowie", "Eno", "Bush", "Waits", "Young", "Mitchell", "Cohen", "Gómez", "Müller", "Ødegaard",
        "Nuñez", "Łukasz", "Ceccarelli", "Østergaard", "Sakamoto", "Hosono", "Coleman", "Gordon", "Shorter", "Pop",
        "Smith", "Harry", "Curtis", "Sumner", "Morris", "Gilbert",
    ]
    static let bandWords = [
        "Velvet", "Underground", "Rolling", "Stones", "Talking", "Heads", "Joy", "Division", "New", "Order", "Neu!",
        "Cluster", "Orbital", "Underworld", "Chemical", "Brothers", "Massive", "Attack", "Floating", "Points",
        "Beach", "Boys", "Doors", "Smiths", "Cure", "Pixies", "Sonic", "Youth", "Broadcast", "Air", "Justice",
        "Basement", "Jaxx", "Chic", "Sly", "Family", "Stone", "Parliament", "Meters", "Wailers", "Skatalites",
        "Specials", "Madness", "Clash", "Damned", "Wire", "Fall", "Gang", "Orchestra", "Ensemble", "Trio",
        "Quartet", "Sound", "System", "Crew", "Collective", "Band", "Experience", "Unlimited", "Dub", "Syndicate",
    ]

    static func artist(_ index: Int, seed: UInt64) -> String {
        if index < famousArtists.count { return famousArtists[index] }
        var r = Rand(mix(seed, UInt64(index), 10))
        switch r.int(10) {
        case 0..<5: return "\(firstNames[r.int(firstNames.count)]) \(lastNames[r.int(lastNames.count)])"
        case 5..<8: return (r.chance(0.4) ? "The " : "") + "\(bandWords[r.int(bandWords.count)]) \(bandWords[r.int(bandWords.count)])"
        case 8: return "DJ \(firstNames[r.int(firstNames.count)])"
        default: return "\(lastNames[r.int(lastNames.count)]) & \(lastNames[r.int(lastNames.count)])"
        }
    }

    static let famousLabels = [
        "Strictly Rhythm", "Warp Records", "Blue Note", "Motown", "Island Records", "Trojan Records", "Studio One",
        "Nervous Records", "REKIDS", "Lobster Theremin", "Colomino Records", "Goldmind Records", "Kompakt",
        "Rough Trade", "Mute", "Sähkö Recordings", "Éditions Mego", "ユニバーサル ミュージック", "Ninja Tune", "Planet E",
    ]
    static let labelWords = ["Sound", "Groove", "Deep", "Blue", "Night", "Future", "Soul", "Electric", "Tropical", "Acid", "Dub", "Street", "Hi-Fi", "Analog"]
    static let labelKinds = ["Records", "Recordings", "Music", "Sounds", "Discos", "Schallplatten", "Tapes"]

    static func label(_ index: Int, seed: UInt64) -> String {
        if index < famousLabels.count { return famousLabels[index] }
        var r = Rand(mix(seed, UInt64(index), 11))
        return "\(labelWords[r.int(labelWords.count)]) \(r.chance(0.3) ? labelWords[r.int(labelWords.count)] + " " : "")\(labelKinds[r.int(labelKinds.count)])"
    }

    static let titleWords = [
        "Love", "Night", "Dance", "Beat", "Dub", "Sound", "Rhythm", "Blue", "Soul", "Fire", "Time", "Life", "World",
        "Heart", "Light", "Dark", "Dream", "Sun", "Moon", "Star", "Rain", "City", "Street", "Home", "Road", "Live",
        "Vol. 2", "Remix", "Remixes", "Edit", "Version", "Part", "One", "Two", "Theme", "Song", "Gold", "Summer",
        "Revolution", "Freedom", "Power", "People", "Machine", "Future", "Forever", "Tonight", "Everybody",
        "Groove", "Funk", "Jazz", "House", "Techno", "Disco", "Bass", "Drums", "Electric", "Acid", "Deep",
        "Paradise", "Island", "Ocean", "Party", "Club", "Radio", "Original", "Classic", "Instrumental", "Acoustic",
        "Symphony", "Suite", "Étude", "Café", "Déjà Vu", "Über", "Straße", "東京", "夜", "Señorita", "Niño",
    ]
    static let formats: [(name: String, quantity: Int, descriptions: [String])] = [
        ("Vinyl", 1, ["12\"", "33 ⅓ RPM"]), ("Vinyl", 1, ["LP", "Album"]), ("Vinyl", 1, ["7\"", "45 RPM", "Single"]),
        ("Vinyl", 1, ["LP", "Album", "Reissue"]), ("Vinyl", 2, ["LP", "Album"]), ("Vinyl", 1, ["12\"", "EP"]),
        ("CD", 1, ["Album"]), ("Vinyl", 1, ["LP", "Compilation"]), ("Cassette", 1, ["Album"]),
        ("Vinyl", 1, ["12\"", "Maxi-Single"]), ("Vinyl", 1, ["LP", "Album", "Limited Edition"]), ("CD", 1, ["Maxi-Single"]),
    ]
    static let conditions = [
        "Mint (M)", "Near Mint (NM or M-)", "Very Good Plus (VG+)", "Very Good (VG)", "Good Plus (G+)", "Good (G)",
        "Fair (F)", "Poor (P)",
    ]
    static let sleeveOnly = ["Generic", "Not Graded", "No Cover"]
    static let genres = [
        "Electronic", "Rock", "Jazz", "Hip Hop", "Funk / Soul", "Pop", "Reggae", "Latin", "Classical",
        "Folk, World, & Country", "Blues", "Stage & Screen", "Non-Music", "Brass & Military", "Children's",
    ]
    static let genreWeights: [Double] = [40, 18, 8, 8, 10, 6, 5, 2, 2, 2, 1, 1, 0.5, 0.2, 0.3]
    static let styles: [String: [String]] = [
        "Electronic": ["House", "Techno", "Deep House", "Disco", "Minimal", "Ambient", "Downtempo", "Experimental", "Acid", "Electro", "Breakbeat", "Drum n Bass", "Jungle", "UK Garage", "Trance", "IDM", "Tech House", "Italo-Disco", "Garage House", "Dub Techno"],
        "Rock": ["Punk", "New Wave", "Post-Punk", "Indie Rock", "Krautrock", "Psychedelic Rock", "Pop Rock", "Hard Rock", "Alternative Rock", "Shoegaze"],
        "Jazz": ["Hard Bop", "Free Jazz", "Fusion", "Soul-Jazz", "Contemporary Jazz", "Latin Jazz", "Bossa Nova", "Modal"],
        "Hip Hop": ["Boom Bap", "Instrumental", "Conscious", "Gangsta", "Trip Hop"],
        "Funk / Soul": ["Soul", "Funk", "Disco", "Rhythm & Blues", "Gospel", "Afrobeat", "Neo Soul"],
        "Pop": ["Synth-pop", "Ballad", "Vocal", "Chanson", "Europop"],
        "Reggae": ["Dub", "Roots Reggae", "Dancehall", "Ska", "Rocksteady", "Lovers Rock"],
        "Latin": ["Salsa", "Cumbia", "Bossa Nova", "Samba", "MPB"],
        "Classical": ["Baroque", "Romantic", "Modern", "Contemporary"],
        "Folk, World, & Country": ["Folk", "Highlife", "Country", "African"],
        "Blues": ["Chicago Blues", "Delta Blues"],
        "Stage & Screen": ["Soundtrack", "Score"],
    ]
    static let countries = ["US", "UK", "Germany", "France", "Japan", "Netherlands", "Italy", "Jamaica", "Canada", "Brazil", "Europe", "Sweden", "Belgium", "Spain"]
    static let locations: [String] = ["popup", "C-A1", "CB1", "colin house", "D1.3", "D3", "back room"]
        + (0..<180).map { i in "\(["A", "B", "C", "D", "E", "F"][i % 6])\(i / 6 + 1)" }
        + ["bin_1", "50% off", "Shelf 7 / box 2"]
    static let comments = [
        "some dust, light scratches and surface noise but certainly playable",
        "Plain white sleeve. Nice, clean vinyl.",
        "Sealed. Hype sticker on shrink.",
        "Corner ding, otherwise great.",
        "Plays through with light crackle on quiet passages. Sleeve has ring wear and a small seam split.",
        "Promo stamp on label. Otherwise excellent.",
        "Horrible scratches. Leaving for huge fans if they want to complete a collection.",
        "Generic sleeve. Vinyl looks and plays great!",
        "Writing on label (DJ copy). Plays fine.",
        "Still sealed, small tear in the shrink. Ships in a new outer sleeve.",
        "Tiny warp, does not affect play.",
        "Cover signed by the artist.",
    ]
    static let longComment = "Graded visually and play-tested on a Technics SL-1200 with a fresh stylus: side A plays clean from start to finish, side B has two light ticks in the first track and otherwise sounds great. The sleeve shows shelf wear on the edges, a small price sticker residue on the back and a light ring; the inner sleeve is the original printed one with a split along the bottom seam. Ships in a new poly outer sleeve, record removed from the jacket to avoid seam splits in transit."
}

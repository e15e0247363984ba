import Testing

@testable import GatewayMock
@testable import MockHTTP

/// `WorkspaceCatalog.page` through its `PageCache`: a page asked for again is the same bytes as one block,
/// and after any change, in the catalog that changed or in a copy, every page is what gathering the
/// records would give, while the unchanged copy (the seed a namespace started from) keeps its own pages.
@Suite struct PageCacheTests {
    /// What the page must be: the records' JSON, gathered afresh.
    static func expected(_ catalog: WorkspaceCatalog, offset: Int, limit: Int) -> String {
        let records = catalog.all.dropFirst(offset).prefix(limit)
        return "[" + records.map { String(decoding: $0.encoded, as: UTF8.self) }.joined(separator: ",") + "]"
    }

    static func setting(_ key: String, to new: JSONValue, in value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        return .object(members.map { $0.key == key ? (key, new) : $0 })
    }

    static func page(_ catalog: WorkspaceCatalog, offset: Int, limit: Int) -> HTTPBody {
        catalog.page(offset: offset, limit: limit, prefix: "[", suffix: "]")
    }

    static func text(_ body: HTTPBody) -> String { String(decoding: body.bytes, as: UTF8.self) }

    @Test func aPageAskedForAgainIsTheSameBytesInOneBlock() throws {
        let catalog = try SeedStore.load(from: .embedded).openRouter.workspaces
        let first = Self.page(catalog, offset: 1, limit: 3)
        let again = Self.page(catalog, offset: 1, limit: 3)
        #expect(Self.text(first) == Self.expected(catalog, offset: 1, limit: 3))
        #expect(again.bytes == first.bytes)
        #expect(again.parts.count == 1)
        // Another page, another prefix: not mixed up with the first.
        #expect(
            Self.text(catalog.page(offset: 1, limit: 3, prefix: "{", suffix: "}"))
                == "{" + Self.expected(catalog, offset: 1, limit: 3).dropFirst().dropLast() + "}")
    }

    /// Portkey's `page_size` has no upper bound: a page over `PageCache.largestPage` is gathered every time.
    @Test func aPageLargerThanTheBoundIsNotKept() throws {
        let catalog = try SeedStore.load(from: .embedded).openRouter.workspaces
        let padding = String(repeating: " ", count: PageCache.largestPage)
        let page = catalog.page(offset: 0, limit: 2, prefix: "[" + padding, suffix: "]")
        let again = catalog.page(offset: 0, limit: 2, prefix: "[" + padding, suffix: "]")
        #expect(Self.text(again) == "[" + padding + Self.expected(catalog, offset: 0, limit: 2).dropFirst())
        #expect(page.parts.count == 4)
        #expect(again.parts.count == 4)
    }

    @Test func everyChangeShowsInTheChangedCopyAndNeverInTheOther() throws {
        let seed = try SeedStore.load(from: .embedded).openRouter.workspaces
        let seedPages = (0..<6).map { Self.text(Self.page(seed, offset: $0 * 2, limit: 5)) }
        var copy = seed
        var generator = SystemRandomNumberGenerator()
        for step in 0..<300 {
            // Read a few pages first (so that the change has cached pages to make stale), then change.
            for offset in [0, 2, 4] { _ = Self.page(copy, offset: offset, limit: 5) }
            let records = copy.all
            switch Int.random(in: 0..<3, using: &generator) {
            case 0 where !records.isEmpty:
                copy.remove(id: records.randomElement(using: &generator)!.id)
            case 1 where !records.isEmpty:
                let value = records.randomElement(using: &generator)!.value
                copy.replace(WorkspaceRecord(value: Self.setting("name", to: .string("renamed \(step)"), in: value)))
            default:
                var value = Self.setting("id", to: .string("id-\(step)"), in: seed.all[0].value)
                value = Self.setting("slug", to: .string("slug-\(step)"), in: value)
                copy.insert(WorkspaceRecord(value: value))
            }
            for offset in [0, 2, 4, copy.count - 1] {
                #expect(
                    Self.text(Self.page(copy, offset: offset, limit: 5))
                        == Self.expected(copy, offset: offset, limit: 5))
            }
        }
        #expect((0..<6).map { Self.text(Self.page(seed, offset: $0 * 2, limit: 5)) } == seedPages)
        #expect(seedPages == (0..<6).map { Self.expected(seed, offset: $0 * 2, limit: 5) })
    }
}

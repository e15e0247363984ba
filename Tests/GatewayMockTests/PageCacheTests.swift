import Testing

@testable import GatewayMock
@testable import MockHTTP

/// `WorkspaceCatalog.page` through its `PageCache`: a page asked for again is the same bytes as one block,
/// and after any change, in the catalog that changed or in a copy, every page is what gathering the
/// records would give, while the unchanged copy (the seed a namespace started from) keeps its own pages.
@Suite struct PageCacheTests {
    /// What the page must be: the records' JSON, gathered afresh, in OpenRouter's envelope (or `envelope`).
    static func expected(
        _ catalog: WorkspaceCatalog, offset: Int, limit: Int, in envelope: ListEnvelope = .openRouter
    ) -> String {
        let records = catalog.all.dropFirst(offset).prefix(limit)
        return envelope.prefix(count: catalog.count)
            + records.map { String(decoding: $0.encoded, as: UTF8.self) }.joined(separator: ",")
            + envelope.suffix(count: catalog.count)
    }

    static func setting(_ key: String, to new: JSONValue, in value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        return .object(members.map { $0.key == key ? (key, new) : $0 })
    }

    static func page(_ catalog: WorkspaceCatalog, offset: Int, limit: Int) -> HTTPBody {
        catalog.page(offset: offset, limit: limit, in: .openRouter)
    }

    static func text(_ body: HTTPBody) -> String { String(decoding: body.bytes, as: UTF8.self) }

    @Test func aPageAskedForAgainIsTheSameBytesInOneBlock() throws {
        let catalog = try SeedStore.load(from: .embedded).openRouter.workspaces
        let first = Self.page(catalog, offset: 1, limit: 3)
        let again = Self.page(catalog, offset: 1, limit: 3)
        #expect(Self.text(first) == Self.expected(catalog, offset: 1, limit: 3))
        #expect(again.bytes == first.bytes)
        #expect(again.parts.count == 1)
        #expect(Self.text(first).hasPrefix(#"{"data":[{"#))
        // The same page in another envelope: not mixed up with the first.
        #expect(
            Self.text(catalog.page(offset: 1, limit: 3, in: .portkey))
                == Self.expected(catalog, offset: 1, limit: 3, in: .portkey))
        #expect(Self.text(Self.page(catalog, offset: 1, limit: 3)) == Self.text(first))
    }

    /// Portkey's `page_size` has no upper bound: a page over `PageCache.largestPage` is gathered every time.
    @Test func aPageLargerThanTheBoundIsNotKept() throws {
        var catalog = try SeedStore.load(from: .embedded).openRouter.workspaces
        let template = catalog.all[0].value
        while catalog.count * template.encodedBytes.count <= PageCache.largestPage {
            let value = Self.setting("id", to: .string("id-\(catalog.count)"), in: template)
            catalog.insert(
                WorkspaceRecord(value: Self.setting("slug", to: .string("slug-\(catalog.count)"), in: value)))
        }
        let page = Self.page(catalog, offset: 0, limit: catalog.count)
        let again = Self.page(catalog, offset: 0, limit: catalog.count)
        #expect(page.count > PageCache.largestPage)
        #expect(Self.text(again) == Self.expected(catalog, offset: 0, limit: catalog.count))
        #expect(page.parts.count == catalog.count + 2)
        #expect(again.parts.count == catalog.count + 2)
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

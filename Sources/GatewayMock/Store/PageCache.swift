import MockHTTP

/// The bodies of the last few list pages served from one state of a `WorkspaceCatalog`, each as one
/// contiguous block, so that a page asked for again (a client polling a listing, a test suite listing
/// after every step) is sent without gathering its records again: one piece to write instead of one per
/// record, which is most of a listing's CPU outside the kernel.
///
/// Shared by copies of the catalog that are still equal (a namespace's store and the seed it started
/// from), hence the lock; a catalog that changes drops or replaces it (`WorkspaceCatalog.changed`).
/// At most `capacity` pages of at most `largestPage` bytes each are kept, the oldest dropped first: at most
/// 512 KiB per catalog, and only for catalogs that are listed (a namespace's own catalog exists only once
/// it has written). A larger page (Portkey's `page_size` has no upper bound) is gathered every time.
final class PageCache: Sendable {
    /// What a page's bytes depend on besides the catalog.
    struct Key: Equatable, Sendable {
        var offset: Int
        var limit: Int
        var envelope: ListEnvelope
    }

    static let capacity = 4
    /// 128 KiB: OpenRouter's largest page (`limit=100`) of the seed's workspaces is 64 849 bytes.
    static let largestPage = 128 << 10

    private let pages = Locked<[(key: Key, body: HTTPBody)]>([])

    /// The cached body for `key`, else `make()`'s, flattened to one piece and kept.
    func body(for key: Key, make: () -> HTTPBody) -> HTTPBody {
        if let cached = pages.withLock({ $0.first { $0.key == key }?.body }) { return cached }
        let gathered = make()
        guard gathered.count <= Self.largestPage else { return gathered }
        let body = HTTPBody(gathered.bytes)
        pages.withLock { pages in
            guard !pages.contains(where: { $0.key == key }) else { return }
            if pages.count == Self.capacity { pages.removeFirst() }
            pages.append((key, body))
        }
        return body
    }

    /// Forgets every page (for a catalog that owns this cache alone and has just changed).
    func removeAll() {
        pages.withLock { $0.removeAll() }
    }
}

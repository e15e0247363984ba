/// The workspaces the API has created in one namespace, for `--max-created-workspaces`, and the counter
/// the ids of new ones are derived from, so that the same calls in a fresh or reset namespace give the same
/// ids. Both vendors create through it; seeds and control-plane replacements do not count.
struct WorkspaceCreations: Sendable {
    private(set) var count = 0
    private var nextNumber = 1

    /// What a create may use once everything else about it is checked: its id, and the counter value
    /// behind it.
    struct Reservation {
        let id: String
        fileprivate let number: Int
    }

    /// The id for the next create: `makeID(n)` for the first n from the counter on that is neither an id
    /// nor a slug in `catalog`. Past `limit` creates, the 400 both vendors answer. Nothing changes until
    /// `commit`, so a create refused later uses nothing up.
    func reserve(limit: Int, in catalog: WorkspaceCatalog, _ makeID: (Int) -> String) throws(VendorError)
        -> Reservation
    {
        guard count < limit else {
            throw .invalidRequest(
                "this namespace has created \(limit) workspaces, the mock's limit (--max-created-workspaces); "
                    + "reset it (POST /__admin/reset) or raise the limit")
        }
        var number = nextNumber
        var id = makeID(number)
        while catalog.containsID(id) || catalog.containsSlug(id) {
            number += 1
            id = makeID(number)
        }
        return Reservation(id: id, number: number)
    }

    /// Counts the create that used `reservation`.
    mutating func commit(_ reservation: Reservation) {
        count += 1
        nextNumber = reservation.number + 1
    }
}

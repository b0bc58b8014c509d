import NIOCore
import Synchronization

/// Rendered packuments (as the buffers sent: a hit is written out without a copy), valid while the registry's store has not been written to since they were rendered.
///
/// A packument GET is what npm sends most; rendering one reads every version from SQLite and encodes JSON. The
/// cache keys on the package, the base URL (tarball URLs carry it) and the store's write generation, so a publish,
/// an unpublish or any other write is seen by the very next GET. Bounded: it empties itself when full.
final class PackumentCache: Sendable {
    private struct Entry { var generation: Int; var baseURL: String; var bytes: ByteBuffer }
    private let entries = Mutex<[String: Entry]>([:])
    let capacity: Int

    init(capacity: Int = 1_024) { self.capacity = capacity }

    func lookup(name: String, baseURL: String, generation: Int) -> ByteBuffer? {
        entries.withLock { e in
            guard let hit = e[name], hit.generation == generation, hit.baseURL == baseURL else { return nil }
            return hit.bytes
        }
    }

    func store(name: String, baseURL: String, generation: Int, bytes: ByteBuffer) {
        entries.withLock { e in
            if e.count >= capacity { e.removeAll(keepingCapacity: true) }
            e[name] = Entry(generation: generation, baseURL: baseURL, bytes: bytes)
        }
    }
}

import Copydesk
import EventStore
import Logging
import ServiceLifecycle

/// Logs an anchor (`copydesk anchor`) every `interval`, so that a log shipped off the machine
/// keeps a trail of Merkle roots that `copydesk verify --anchor` can check history against later.
struct AnchorLogService: Service {
    let store: EventStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                do {
                    let anchor = try await store.anchor()
                    // `anchor` is the JSON form `copydesk anchor --json` prints: saved to a file, it is
                    // what `copydesk verify --anchor FILE` reads back.
                    let json = String(decoding: try JSONFormat.encoder(pretty: false).encode(anchor), as: UTF8.self)
                    logger.notice(
                        "anchor",
                        metadata: [
                            "position": "\(anchor.position)", "events": "\(anchor.events)", "root": "\(anchor.root)",
                            "anchor": "\(json)",
                        ])
                } catch {
                    logger.warning("could not take the scheduled anchor: \(error)")
                }
            }
        }
    }
}

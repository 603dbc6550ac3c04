import Editorial
import EventStore

extension Actor {
    /// The actor's kind as event metadata records it.
    var metadataKind: ActorKind {
        switch kind {
        case .person: .person
        case .system: .system
        }
    }
}

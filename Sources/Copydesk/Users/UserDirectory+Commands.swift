import Editorial
import EventStore
import Foundation
import Postgres
import Timestamps

/// A secret's stored form, written in the same transaction as the event that records it.
enum Credential: Sendable {
    /// A new API token (its SHA-256 is stored).
    case token(NewToken)
    /// A desk password's bcrypt hash.
    case passwordHash(String)
}

extension UserDirectory {
    /// Carries out one change to a user in one transaction, as `CommandService` does for
    /// articles: lock the user's stream and read their account; let the domain decide; append,
    /// write the projection rows (and a new credential's hash), commit, then announce the change.
    func handle(
        _ action: UserAction, user name: String, by actor: Actor, origin: Origin, storing credential: Credential? = nil
    ) async throws -> UserAccount {
        var attempt = 1
        while true {
            do {
                return try await pool.withConnection { connection in
                    try await connection.perform { connection in
                        do {
                            return try self.attempt(
                                action, user: name, by: actor, origin: origin, storing: credential, on: connection)
                        } catch {
                            if connection.isInTransaction { try? connection.executeScript("ROLLBACK") }
                            throw error
                        }
                    }
                }
            } catch EventStoreError.versionConflict where attempt < 3 {
                // Two admins added the same name at once: decide again on what is there now.
                attempt += 1
            }
        }
    }

    private func attempt(
        _ action: UserAction, user name: String, by actor: Actor, origin: Origin, storing credential: Credential?,
        on connection: isolated Connection
    ) throws -> UserAccount {
        let stream = UserStream.name(for: name)
        let commandId = UUID.timeOrdered()
        var opening = Pipeline()
        opening.append("BEGIN")
        let locked = store.lockStream(stream, checking: commandId, in: &opening)
        let accountStatement = opening.count
        opening.append("SELECT \(Self.accountColumns) FROM users u WHERE name = $1", [name])
        let results = try connection.run(opening)
        let streamVersion = try locked.state(from: results).version
        var current = try results[accountStatement].first.map(Self.account(from:))
        if streamVersion > current?.version ?? 0 {
            // The row is behind the stream (should not happen, but the events decide): fold them.
            current = try store.readStream(stream, on: connection).reduce(nil) { state, recorded in
                UserDecider.evolve(
                    state, try UserEvent.decode(type: recorded.type, schemaVersion: recorded.schemaVersion, data: recorded.data))
            }
        }

        let events: [UserEvent]
        do {
            events = try UserDecider.decide(action, user: name, state: current, by: actor, at: now())
        } catch {
            throw WorkflowError.userRefused(error)
        }
        let metadata = EventMetadata(actor: actor.name, commandId: commandId, origin: origin, actorKind: actor.metadataKind)
        let request = AppendRequest(
            stream: stream, expectedVersion: current.map { .exactly($0.version) } ?? .noStream,
            events: try UserStream.newEvents(events), metadata: metadata)
        var batch = ProjectionBatch()
        guard let after = try batch.projectUser(request.events, positions: nil, onto: current, metadata: metadata) else {
            throw WorkflowError.unknownUser(name)
        }

        var closing = Pipeline()
        let append = try store.append(request, to: &closing)
        batch.append(afterAppending: request.events, articleRowExists: false, to: &closing)
        switch credential {
        case .token(let token):
            closing.append(
                "INSERT INTO user_tokens (token_id, user_name, token_hash) VALUES ($1, $2, $3)",
                [token.id, name, ByteA(Self.hash(secret: token.secret))])
        case .passwordHash(let hash):
            closing.append(
                """
                INSERT INTO user_passwords (user_name, password_hash) VALUES ($1, $2)
                ON CONFLICT (user_name) DO UPDATE SET password_hash = excluded.password_hash, updated_at = now()
                """,
                [name, hash])
            // A password is changed when someone else may know it, and may have signed in with it.
            closing.append("DELETE FROM desk_sessions WHERE user_name = $1", [name])
        case nil:
            break
        }
        if after.isDisabled && current?.isDisabled != true {
            // Enabling the user later must not bring these back.
            closing.append("DELETE FROM desk_sessions WHERE user_name = $1", [name])
        }
        let revoked = (current?.activeTokens ?? []).filter { !after.activeTokens.contains($0) }
        if !revoked.isEmpty {
            // A revoked token's hash serves nothing any more.
            closing.append("DELETE FROM user_tokens WHERE token_id = ANY ($1)", [revoked])
        }
        EventStore.commit(&closing)
        closing.append("SELECT pg_notify($1, $2)", [Self.changeChannel, name])
        _ = try append.result { try connection.run(closing) }
        return after
    }
}

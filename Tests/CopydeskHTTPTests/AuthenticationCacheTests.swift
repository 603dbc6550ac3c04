@testable import CopydeskHTTP
import Editorial
import Testing

@Suite("Recently verified tokens")
struct AuthenticationCacheTests {
    @Test("a verified token is answered from memory until its entry expires; unknown tokens never are")
    func remembersUntilExpiry() {
        let cache = AuthenticationCache(lifetime: .seconds(3600))
        let alice = Actor(name: "alice", role: .editor)
        #expect(cache.actor(forToken: "cd_token") == nil)
        cache.remember(alice, forToken: "cd_token")
        #expect(cache.actor(forToken: "cd_token") == alice)
        #expect(cache.actor(forToken: "cd_other") == nil)

        let expired = AuthenticationCache(lifetime: .zero)
        expired.remember(alice, forToken: "cd_token")
        #expect(expired.actor(forToken: "cd_token") == nil)
    }

    @Test("the cache stays bounded: when full it starts over")
    func bounded() {
        let cache = AuthenticationCache(lifetime: .seconds(3600))
        let bob = Actor(name: "bob", role: .author)
        for index in 0..<AuthenticationCache.capacity { cache.remember(bob, forToken: "token-\(index)") }
        #expect(cache.actor(forToken: "token-0") == bob)
        cache.remember(bob, forToken: "one-too-many")
        #expect(cache.actor(forToken: "token-0") == nil)
        #expect(cache.actor(forToken: "one-too-many") == bob)
    }
}

import Editorial

/// What every page's layout shows: its title, the signed-in user and the session's CSRF token,
/// and a flash message.
struct PageChrome {
    /// The signed-in user as the header shows them.
    struct SignedIn {
        let name: String
        let role: String
        /// Whether the Audit link is shown (the read policy's answer for `/audit`).
        let mayAudit: Bool
    }

    let title: String
    let user: SignedIn?
    let csrf: String
    var notice: String?
    var error: String?

    init(title: String, user: DeskUser?, mayAudit: Bool = false, notice: String? = nil, error: String? = nil) {
        self.title = title
        self.user = user.map { SignedIn(name: $0.actor.name, role: $0.actor.role.rawValue, mayAudit: mayAudit) }
        csrf = user?.csrfToken ?? ""
        self.notice = notice
        self.error = error
    }
}

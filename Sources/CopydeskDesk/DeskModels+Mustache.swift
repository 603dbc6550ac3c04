import Mustache

// The page models name their fields for the templates by a switch (`MustacheParent`) instead of
// letting swift-mustache find them by reflection: it builds a `Mirror` and walks every field of
// the model for each name a template reads, which was half the CPU time of a queue page (125
// list items of ten names each). A field missing here reads as absent in the templates; the
// desk's page tests and `DeskTemplateFieldsTests` catch that.

extension PageChrome: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "user": user
        case "csrf": csrf
        case "notice": notice
        case "error": error
        default: nil
        }
    }
}

extension PageChrome.SignedIn: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "role": role
        case "mayAudit": mayAudit
        default: nil
        }
    }
}

extension ReaderZone.Shown: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "iso": iso
        case "local": local
        case "utc": utc
        default: nil
        }
    }
}

extension ArticleListItem: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": id
        case "title": title
        case "titleLang": titleLang
        case "state": state
        case "section": section
        case "author": author
        case "isLive": isLive
        case "pendingRevision": pendingRevision
        case "updated": updated
        default: nil
        }
    }
}

extension QueueController.QueuePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "page": page
        case "yourTurnHeading": yourTurnHeading
        case "yourTurn": yourTurn
        case "yourTurnMore": yourTurnMore
        case "stateCounts": stateCounts
        case "q": q
        case "states": states
        case "sections": sections
        case "authors": authors
        case "live": live
        case "results": results
        case "pageNumber": pageNumber
        case "previous": previous
        case "next": next
        default: nil
        }
    }
}

extension QueueController.QueuePage.StateCount: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "state": state
        case "count": count
        case "selected": selected
        default: nil
        }
    }
}

extension QueueController.QueuePage.Choice: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}

extension ArticlePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "page": page
        case "id": id
        case "version": version
        case "title": title
        case "lead": lead
        case "paragraphs": paragraphs
        case "lang": lang
        case "state": state
        case "section": section
        case "tags": tags
        case "hasTags": hasTags
        case "author": author
        case "lastChange": lastChange
        case "scheduledFor": scheduledFor
        case "live": live
        case "pendingDiff": pendingDiff
        case "hasPendingDiff": hasPendingDiff
        case "pastVersion": pastVersion
        case "actions": actions
        case "mayEdit": mayEdit
        case "zone": zone
        case "scheduleValue": scheduleValue
        default: nil
        }
    }
}

extension ArticlePage.Action: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "command": command
        case "label": label
        case "needsReason": needsReason
        case "needsText": needsText
        case "takesNote": takesNote
        case "isPublish": isPublish
        case "isDangerous": isDangerous
        default: nil
        }
    }
}

extension ArticlePage.LastChange: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "actor": actor
        case "isSystem": isSystem
        case "action": action
        case "at": at
        default: nil
        }
    }
}

extension ArticlePage.LiveText: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "lead": lead
        case "paragraphs": paragraphs
        case "lang": lang
        case "publishedAt": publishedAt
        case "publishedBy": publishedBy
        default: nil
        }
    }
}

extension ArticlePage.PastVersion: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "current": current
        default: nil
        }
    }
}

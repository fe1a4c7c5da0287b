import Foundation
import RoleAuditImport
import RoleAuditModel

/// One run's shared state and the plan per credential: which scopes, in which order, each
/// collected into its folder and recorded in the manifest as it starts and as it ends.
struct Run: Sendable {
    let request: CollectRequest
    let runtime: CollectRuntime
    let transport: any HTTPTransport
    let redact: Redactor
    let store: ManifestStore
    let slots: Slots
    /// Scopes of the earlier run kept as they are (--resume).
    let intact: Set<String>
    let previous: CollectionManifest?

    private var clock: any CollectClock { runtime.clock }

    // MARK: Huntress

    func huntress(_ target: HuntressTarget) async throws {
        let credential = target.credential
        let credentialID = "huntress:\(credential.name)"
        let basic = credential.basic
        let fetcher = Fetcher(
            transport: transport,
            limiter: RateLimiter(limit: request.pacing.huntressRequests, window: request.pacing.huntressWindow, clock: clock),
            pacing: request.pacing, clock: clock, platform: .huntress, label: credential.label, redact: redact,
            authenticate: { $0.append(("Authorization", basic)) })
        let collector = HuntressCollector(target: target, fetcher: fetcher)
        var record = CollectionManifest.Credential(
            id: credentialID, platform: .huntress, environment: [credential.keyVariable, credential.secretVariable], keyID: credential.fingerprint)

        // The actor of the earlier run is kept when resuming with the same key.
        var actor = previous?.credentials.first { $0.id == credentialID && $0.keyID == credential.fingerprint }?.actor
        var first: [CollectionManifest.Request] = []
        if actor == nil {
            let failedID = "huntress-credential-\(credential.name)"
            var retries = 0
            do {
                let (found, call) = try await collector.actor(retries: &retries)
                actor = found
                first = [call]
            } catch let f as RequestFailure {
                return try await failed(failedID, credentialID, [f.record], f.reason, record)
            } catch let f as ScopeFailure {
                return try await failed(failedID, credentialID, [], f.reason, record)
            }
        }
        guard let actor else { return }
        record.actor = actor
        try await store.put(record)

        if let reseller = actor.resellerID {
            let listID = "huntress-reseller-\(reseller)"
            var accounts: [String] = []
            if intact.contains(listID) {
                accounts = savedAccounts(listID)
                runtime.progress("\(listID): complete in the earlier run, kept")
            } else {
                let ok = try await scope(listID, .huntress, credentialID, prior: first) { scope in
                    accounts = try await collector.accounts(into: scope)
                }
                guard ok else { return }
            }
            var plan: [(id: String, own: Bool)] = Self.sortedIDs(accounts).map { ($0, false) }
            if let own = actor.accountID, !accounts.contains(own) { plan.append((own, true)) }
            if !target.accounts.isEmpty {
                for missing in target.accounts where !plan.contains(where: { $0.id == missing }) {
                    try await failed(
                        "huntress-\(missing)", credentialID, [], "account \(missing) is not among the accounts GET /v1/accounts lists for reseller \(reseller)", nil)
                }
                plan = plan.filter { target.accounts.contains($0.id) }
            }
            let estimate = plan.count * 2
            runtime.progress(
                "\(listID): \(plan.count) account(s) to collect: at least \(estimate) request(s), about "
                    + String(format: "%.1f", Double(estimate) / Double(request.pacing.huntressRequests) * request.pacing.huntressWindow / 60)
                    + " min at \(request.pacing.huntressRequests) requests per \(Self.seconds(request.pacing.huntressWindow))")
            try await accountScopes(plan, collector, credentialID)
        } else if let account = actor.accountID {
            if !target.accounts.isEmpty {
                for other in target.accounts where other != account {
                    try await failed("huntress-\(other)", credentialID, [], "an account key reaches only its own account (\(account)), not \(other)", nil)
                }
                guard target.accounts.contains(account) else { return }
            }
            try await accountScopes([(account, true)], collector, credentialID, prior: first)
        }
    }

    /// Account scopes in order, at most `parallel` at once over the whole run.
    private func accountScopes(
        _ plan: [(id: String, own: Bool)], _ collector: HuntressCollector, _ credentialID: String, prior: [CollectionManifest.Request] = []
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (id, own) in plan {
                let scopeID = "huntress-\(id)"
                guard Collector.isSafeScopeID(scopeID) else {
                    try await failed(scopeID, credentialID, [], "the account id '\(printable(id))' from the API cannot name a folder", nil)
                    continue
                }
                let claimant = await store.claim(scopeID, by: credentialID)
                guard claimant == credentialID else {
                    runtime.progress("\(scopeID): also reached by \(claimant), which collects it")
                    continue
                }
                if intact.contains(scopeID) {
                    runtime.progress("\(scopeID): complete in the earlier run, kept")
                    continue
                }
                await slots.acquire()
                group.addTask {
                    _ = try await scope(scopeID, .huntress, credentialID, prior: own ? prior : [], acquired: true) { scope in
                        try await collector.account(id, own: own, into: scope)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// The account ids in a kept reseller scope's pages of `/v1/accounts`.
    private func savedAccounts(_ scopeID: String) -> [String] {
        let files = previous?.scopes.first { $0.id == scopeID }?.files ?? []
        return files.filter { $0.list == "accounts" }.flatMap { file -> [String] in
            let url = request.output.appendingPathComponent(file.path)
            guard let data = try? Data(contentsOf: url), let object = try? JSONBody.object(data, file.path),
                let list = object["accounts"] as? [Any]
            else { return [] }
            return list.compactMap { JSONBody.text(($0 as? [String: Any])?["id"]) }
        }
    }

    static func sortedIDs(_ ids: [String]) -> [String] {
        Array(Set(ids)).sorted { (Int($0) ?? Int.max, $0) < (Int($1) ?? Int.max, $1) }
    }

    static func seconds(_ s: Double) -> String { s >= 1 ? String(format: "%g s", s) : String(format: "%g ms", s * 1000) }

    // MARK: Cortex

    func cortex(_ target: CortexTarget) async throws {
        let credential = target.credential
        let credentialID = "cortex:\(target.tenant)"
        let (keyID, key, advanced, signingClock, nonce) = (credential.keyID, credential.key, credential.advanced, runtime.clock, runtime.nonce)
        let fetcher = Fetcher(
            transport: transport,
            limiter: RateLimiter(limit: request.pacing.cortexRequests, window: request.pacing.cortexWindow, clock: clock),
            pacing: request.pacing, clock: clock, platform: .cortexXDR, label: credential.label, redact: redact,
            authenticate: { $0 += CortexSigner.headers(keyID: keyID, key: key, advanced: advanced, nonce: nonce(), now: signingClock.now()) })
        try await store.put(CollectionManifest.Credential(
            id: credentialID, platform: .cortexXDR, environment: [credential.keyIDVariable, credential.keyVariable], keyID: credential.keyID,
            keyType: credential.advanced ? "advanced" : "standard"))
        let scopeID = "cortex-\(target.tenant)"
        if intact.contains(scopeID) {
            runtime.progress("\(scopeID): complete in the earlier run, kept")
            return
        }
        let collector = CortexCollector(target: target, fetcher: fetcher)
        let started = clock.now()
        _ = try await scope(scopeID, .cortexXDR, credentialID) { scope in
            try await collector.collect(into: scope, fetchedAt: started)
        }
    }

    // MARK: scopes

    /// Collects one scope into its emptied folder; records it in the manifest as in progress, then
    /// as complete or incomplete with the reason. Returns whether it is complete. Only a manifest
    /// that cannot be written (or cancellation) is thrown: everything else makes the scope incomplete.
    @discardableResult
    private func scope(
        _ id: String, _ platform: Platform, _ credential: String, prior: [CollectionManifest.Request] = [], acquired: Bool = false,
        _ body: (ScopeRecorder) async throws -> Void
    ) async throws -> Bool {
        if !acquired { await slots.acquire() }
        let recorder = ScopeRecorder(id: id, platform: platform, credential: credential, root: request.output, startedAt: clock.now())
        recorder.prepend(prior)
        var reason: String?
        do {
            try await store.put(recorder.scope(.inProgress, finishedAt: nil))
            try recorder.reset()
            try await body(recorder)
        } catch let f as RequestFailure {
            recorder.record(f.record)
            reason = f.reason
        } catch let f as ScopeFailure {
            reason = f.reason
        } catch let e as CollectError {
            await slots.release()
            throw e
        } catch is CancellationError {
            await slots.release()
            throw CancellationError()
        } catch {
            reason = "\(error)"
        }
        await slots.release()
        let reasonText = reason.map { redact($0) }
        let scope = recorder.scope(reasonText == nil ? .complete : .incomplete, reason: reasonText, finishedAt: clock.now())
        try await store.put(scope)
        let retries = scope.requests.reduce(0) { $0 + max(0, $1.attempts - 1) }
        let seconds = clock.now().timeIntervalSince(recorder.startedAt)
        runtime.progress(
            "\(id): \(reasonText == nil ? "complete" : "INCOMPLETE"): \(scope.files.count) file(s), \(scope.records) record(s), "
                + "\(scope.requests.count) request(s), \(retries) retr\(retries == 1 ? "y" : "ies"), " + String(format: "%.1f s", seconds)
                + (reasonText.map { ": \($0)" } ?? ""))
        return reasonText == nil
    }

    /// A scope that could not even start: recorded incomplete with its reason.
    private func failed(
        _ id: String, _ credential: String, _ requests: [CollectionManifest.Request], _ reason: String, _ record: CollectionManifest.Credential?
    ) async throws {
        if let record { try await store.put(record) }
        let text = redact(reason)
        let now = clock.now()
        try await store.put(CollectionManifest.Scope(
            id: id, platform: .huntress, credential: credential, state: .incomplete, reason: text, startedAt: Timestamp.iso(now),
            finishedAt: Timestamp.iso(now), requests: requests))
        runtime.progress("\(id): INCOMPLETE: \(text)")
    }
}

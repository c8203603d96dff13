import Foundation

extension Daemon {
    /// One turn's work, decided under the lock and done outside it.
    private enum Step {
        case stop
        case auditConfiguration
        case run(RunPlan, [RunWaiter])
        case wait(until: Date)
    }

    /// Runs what the schedule says, one run at a time, until the daemon stops.
    func loop() async {
        while true {
            switch nextStep() {
            case .stop:
                return
            case .auditConfiguration:
                do {
                    try await backend.recordConfiguration(gate: gate)
                } catch is ApplyGate.Closed {
                    return
                } catch {
                    logger.error("cannot audit the configuration (config.load): \(error); the next run tries again")
                }
            case .wait(let until):
                // Short naps keep a wall-clock jump from delaying a run by more than a minute.
                let delay = min(until.timeIntervalSinceNow, 60)
                if delay > 0 { await wake.wait(timeout: .milliseconds(Int64(delay * 1000))) }
            case .run(let plan, let waiters):
                await perform(plan, answering: waiters)
            }
        }
    }

    private func nextStep() -> Step {
        state.withLock { state in
            state.heartbeat = Date()
            if state.stopping { return .stop }
            if state.configAuditPending {
                state.configAuditPending = false
                return .auditConfiguration
            }
            // Several requests share one run; one that wants every source makes it read all.
            let requested: [String]? =
                state.waiters.isEmpty
                ? nil
                : state.waiters.contains { $0.sources.isEmpty }
                    ? [] : Array(Set(state.waiters.flatMap(\.sources))).sorted()
            switch state.schedule.decision(now: Date(), requested: requested) {
            case .wait(let until):
                return .wait(until: until)
            case .run(var plan):
                let waiters = plan.trigger == .requested ? state.waiters : []
                if plan.trigger == .requested {
                    state.waiters = []
                    plan.force = waiters.contains(where: \.force)
                }
                state.running = DaemonStatus.CurrentRun(startedAt: Date(), trigger: plan.trigger, sources: plan.sources)
                return .run(plan, waiters)
            }
        }
    }

    /// One run: asks the backend, books the outcome, and tells the log, systemd, the metrics file
    /// and whoever asked for it.
    private func perform(_ plan: RunPlan, answering waiters: [RunWaiter]) async {
        let started = Date()
        notifier.send(.status(statusLine.running(since: started, trigger: plan.trigger)))
        logger.info(
            "run starting (\(plan.trigger.rawValue)): "
                + (plan.sources.isEmpty ? "all sources" : "sources " + plan.sources.joined(separator: ", ")))
        let outcome: Result<RunReport, RunFailure>
        do {
            let report = try await backend.reconcile(RunRequest(plan: plan, gate: gate))
            outcome = .success(report)
            book(report, of: plan)
        } catch let closed as ApplyGate.Closed {
            state.withLock { $0.running = nil }
            outcome = .failure(RunFailure(description: closed.description))
            logger.notice("run abandoned before applying anything: the daemon is stopping")
        } catch {
            outcome = .failure(RunFailure(description: "\(error)"))
            bookFailure(of: plan, error: "\(error)")
        }
        for waiter in waiters { waiter.continuation.resume(returning: outcome) }
    }

    private func book(_ report: RunReport, of plan: RunPlan) {
        let (status, metrics, metricsFile, schedule) = state.withLock { state in
            var random = SystemRandomNumberGenerator()
            state.running = nil
            state.lastReport = report.brief
            state.lastFailure = nil
            state.schedule.record(report, of: plan, now: Date(), using: &random)
            state.metrics.record(report)
            return (
                statusLine.after(report, next: state.schedule.nextWake), state.metrics.render(),
                state.settings.metricsFile, state.schedule
            )
        }
        log(report, schedule: schedule)
        write(metrics, to: metricsFile)
        notifier.send(.status(status))
    }

    private func bookFailure(of plan: RunPlan, error: String) {
        let (status, metrics, metricsFile, next) = state.withLock { state in
            var random = SystemRandomNumberGenerator()
            state.running = nil
            state.lastFailure = error
            state.schedule.recordFailure(of: plan, problem: error, now: Date(), using: &random)
            state.metrics.recordFailedRun()
            let next = state.schedule.nextWake
            return (
                statusLine.failed(at: Date(), problem: error, next: next), state.metrics.render(),
                state.settings.metricsFile, next
            )
        }
        logger.error("run failed: \(error); next attempt at \(statusLine.clock(next, seconds: true))")
        write(metrics, to: metricsFile)
        notifier.send(.status(status))
    }

    /// One line per source and one for the run, at the level an admin should notice them.
    private func log(_ report: RunReport, schedule: Schedule) {
        for read in report.sources {
            if read.complete {
                logger.info(
                    "source \(read.source): \(read.users) users, \(read.groups) groups read in "
                        + String(format: "%.2f s", read.seconds))
            } else {
                let health = schedule.sources.first { $0.source == read.source }
                // A retry due after the next regular run is that run: say so rather than name a time that won't come.
                let alone = schedule.pendingRetries.first { $0.source == read.source }?.nextRetry
                let retry =
                    alone.map { " retried alone at \(statusLine.clock($0, seconds: true))" }
                    ?? " retried with the next run at \(statusLine.clock(schedule.nextRun, seconds: true))"
                logger.warning(
                    "source \(read.source) could not be read completely and froze: \(read.problem ?? "unknown problem");"
                        + retry + " (failure \(health?.consecutiveFailures ?? 1) in a row)")
            }
        }
        for warning in report.warnings { logger.warning(warning) }
        let line =
            "run \(report.runID) \(report.outcome) (\(report.trigger.rawValue), "
            + String(format: "%.2f s", report.duration) + "): \(report.summary)"
        switch report.exitCode {
        case 0: logger.info(line)
        case 3: logger.error(line + "; " + (report.problem ?? "a safety limit stopped it"))
        default: logger.warning(line + "; exit code \(report.exitCode)")
        }
    }

    /// Writes the metrics file atomically; a failure is logged, never fatal.
    private func write(_ metrics: String, to path: String?) {
        guard let path else { return }
        do {
            try AtomicFile.write(metrics, to: path)
        } catch {
            logger.warning("metrics: \(error)")
        }
    }
}

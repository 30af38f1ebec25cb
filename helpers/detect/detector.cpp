#include "helpers/detect/detector.h"

#include <algorithm>

#include "helpers/detect/audio_server.h"
#include "util/log.h"

namespace gamesched::detect {

std::optional<Detector::Judgement> Detector::judge(pid_t pid, bool with_fds) {
    auto info = source_.read(pid, with_fds);
    if (!info) return std::nullopt;  // gone already; its exit event follows (or came first)
    // The core only forwards our own processes; the check keeps the scan honest as well, and
    // a user can only hint at their own processes anyway.
    if (info->uid != uid_) return std::nullopt;
    MatchContext ctx(*info, source_, gamemode_pids_);
    Verdict verdict = classifier_.classify(ctx);
    // The fd table is a directory walk: read it only when the verdict could still move.
    if (!with_fds && classifier_.candidate(verdict)) return judge(pid, true);
    if (!verdict.rule.empty()) {
        spdlog::debug("pid {} ({}): rule {} says {} at {}", pid, printable(info->comm), verdict.rule,
                      verdict.game ? "game" : "not a game", verdict.confidence);
    }
    return Judgement{std::move(*info), std::move(verdict)};
}

void Detector::evaluate(pid_t pid, Clock::time_point now) {
    pending_.erase(pid);
    auto judgement = judge(pid, false);
    if (!judgement) return;
    // Same pid, different process: the reported one exited without us hearing of it (a lost
    // event); say so before judging the newcomer.
    if (auto it = games_.find(pid);
        it != games_.end() && it->second.start_time != judgement->info.start_time) {
        report_exited(pid);
    }
    if (is_audio_server(judgement->info)) {
        if (games_.contains(pid)) report_exited(pid);  // a reported game exec'd the audio server
        spdlog::info("audio server: pid {} ({})", pid, printable(judgement->info.exe_name));
        sink_.audio_server(pid);
        return;
    }
    const Verdict& verdict = judgement->verdict;
    if (classifier_.certain(verdict)) {
        if (!games_.contains(pid)) report_started(*judgement);
        return;
    }
    // An exec replaced a reported game with something that is not (yet) one.
    if (games_.contains(pid)) report_exited(pid);
    if (classifier_.candidate(verdict)) {
        pending_[pid] = Pending{now, 0, judgement->info.start_time};
        spdlog::debug("candidate pid {} '{}': rule {} at {} < {}, looking again later", pid,
                      printable(verdict.display_name), verdict.rule, verdict.confidence,
                      classifier_.threshold());
    }
}

void Detector::on_exec(pid_t pid, Clock::time_point now) {
    evaluate(pid, now);
}

void Detector::on_exit(pid_t pid) {
    pending_.erase(pid);
    gamemode_pids_.erase(pid);
    if (games_.contains(pid)) report_exited(pid);
}

void Detector::on_gamemode_registered(pid_t pid, Clock::time_point now) {
    gamemode_pids_.insert(pid);
    if (!games_.contains(pid)) evaluate(pid, now);
}

void Detector::on_gamemode_unregistered(pid_t pid) {
    // A reported game stays reported until it exits: GameMode lets go of games for reasons
    // (a toggle, its own restart) that do not end them.
    gamemode_pids_.erase(pid);
}

Status Detector::scan(Clock::time_point now) {
    auto pids = source_.list_pids();
    if (!pids) return pids.error().context("scanning for running games");
    const std::set<pid_t> alive(pids->begin(), pids->end());
    check_games();
    std::erase_if(pending_, [&](const auto& entry) { return !alive.contains(entry.first); });
    std::erase_if(gamemode_pids_, [&](pid_t pid) { return !alive.contains(pid); });

    for (pid_t pid : *pids) {
        if (!games_.contains(pid) && !pending_.contains(pid)) evaluate(pid, now);
    }
    return Ok{};
}

void Detector::check_games() {
    std::vector<pid_t> gone;
    for (const auto& [pid, tracked] : games_) {
        auto info = source_.read(pid, false);
        if (!info || info->start_time != tracked.start_time) gone.push_back(pid);
    }
    for (pid_t pid : gone) report_exited(pid);
}

std::optional<Clock::time_point> Detector::next_deadline() const {
    std::optional<Clock::time_point> earliest;
    for (const auto& [pid, pending] : pending_) {
        if (!earliest || pending.due() < *earliest) earliest = pending.due();
    }
    return earliest;
}

void Detector::on_timer(Clock::time_point now) {
    std::vector<pid_t> due;
    for (const auto& [pid, pending] : pending_) {
        if (pending.due() <= now) due.push_back(pid);
    }
    for (pid_t pid : due) {
        Pending& pending = pending_.at(pid);
        auto judgement = judge(pid, true);
        if (!judgement || judgement->info.start_time != pending.start_time) {
            pending_.erase(pid);  // gone, or the pid now names another process
            continue;
        }
        if (classifier_.certain(judgement->verdict)) {
            pending_.erase(pid);
            report_started(*judgement);
        } else if (classifier_.candidate(judgement->verdict) && pending.step + 1 < kRescoreDelays.size()) {
            ++pending.step;
        } else {
            spdlog::debug("pid {} is not a game after {} looks", pid, pending.step + 1);
            pending_.erase(pid);
        }
    }
}

std::vector<GameReport> Detector::games() const {
    std::vector<GameReport> out;
    for (const auto& [pid, tracked] : games_) out.push_back(tracked.report);
    return out;
}

void Detector::report_started(const Judgement& judgement) {
    const Verdict& verdict = judgement.verdict;
    GameReport report{judgement.info.pid, verdict.steam_app_id, verdict.display_name, verdict.rule,
                      verdict.confidence};
    games_[report.pid] = Tracked{report, judgement.info.start_time};
    spdlog::info("game started: pid {} '{}' (rule {}, confidence {}, steam app id {})", report.pid,
                 printable(report.name), report.rule, report.confidence,
                 report.steam_app_id ? std::to_string(*report.steam_app_id) : "none");
    sink_.game_started(report);
}

void Detector::report_exited(pid_t pid) {
    games_.erase(pid);
    spdlog::info("game exited: pid {}", pid);
    sink_.game_exited(pid);
}

}  // namespace gamesched::detect

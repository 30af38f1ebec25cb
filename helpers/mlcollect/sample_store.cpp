#include "helpers/mlcollect/sample_store.h"

#include <spdlog/spdlog.h>

namespace gamesched::ml {

StoreReporter log_store_events() {
    return [](StoreEvent event, const std::string& message) {
        if (event == StoreEvent::failing)
            spdlog::error("{}", message);
        else
            spdlog::info("{}", message);
    };
}

std::string stem_for_key(const std::string& game_key) {
    constexpr std::size_t kMaxStem = 100;
    std::string stem;
    for (char c : game_key) {
        const bool plain =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        stem.push_back(plain ? c : '_');
        if (stem.size() == kMaxStem) break;
    }
    return stem.empty() ? "_" : stem;
}

SampleStore::SampleStore(std::filesystem::path dir, LogLimits limits, StoreReporter reporter)
    : dir_(std::move(dir)), limits_(limits), reporter_(std::move(reporter)) {}

void SampleStore::fail(const Error& error) {
    ++lost_;
    ++lost_in_spell_;
    successes_in_spell_ = 0;
    if (failing_) return;
    failing_ = true;
    std::string what = error.message;
    if (error.code == ENOSPC || error.code == EDQUOT) {
        what += "; the disk holding " + dir_.string() +
                " is full. New samples are not stored until space is freed (earlier records are intact); "
                "free space there or lower --max-file-mib / --keep-files";
    } else {
        what += "; new samples are not stored until this is fixed (earlier records are intact)";
    }
    reporter_(StoreEvent::failing, "cannot store samples: " + what);
}

bool SampleStore::append(const std::string& game_key, const nlohmann::json& record) {
    auto it = logs_.find(game_key);
    if (it == logs_.end()) {
        auto opened = JsonlLog::open(dir_, stem_for_key(game_key), limits_);
        if (!opened) {
            fail(opened.error());
            return false;
        }
        if (opened->repaired_bytes() > 0) {
            spdlog::warn("{}: dropped a torn last line ({} bytes) left by an interrupted write",
                         opened->path().string(), opened->repaired_bytes());
        }
        it = logs_.emplace(game_key, std::move(*opened)).first;
    }
    if (auto st = it->second.append(record); !st) {
        fail(st.error());
        // Reopen next time: the descriptor may be on a file that rotation could not replace.
        logs_.erase(it);
        return false;
    }
    if (failing_ && ++successes_in_spell_ >= kRecoveredAfter) {
        failing_ = false;
        reporter_(StoreEvent::recovered, "storing samples again; " + std::to_string(lost_in_spell_) +
                                             " records could not be stored meanwhile");
        lost_in_spell_ = 0;
    }
    return true;
}

void SampleStore::close(const std::string& game_key) {
    logs_.erase(game_key);
}

}  // namespace gamesched::ml

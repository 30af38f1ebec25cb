// The bridge's profile methods: each one request to gamesched-mlcollect's request socket
// (ipc/mlcollect_client.h), which owns the profiles. Failures are thrown as the interface's
// D-Bus errors, with words that say what to do.
#pragma once

#include <sdbus-c++/Error.h>

#include <chrono>
#include <string>

namespace gamesched::bus {

class ProfileRequests {
public:
    explicit ProfileRequests(std::string socket_path) : socket_path_(std::move(socket_path)) {}

    // The bodies are the collector's JSON (profile_list, profile_show).
    [[nodiscard]] std::string list() const;
    [[nodiscard]] std::string show(const std::string& game) const;
    void set_pinned(const std::string& game, bool pinned) const;
    void reset(const std::string& game) const;

private:
    std::string ask(const std::string& request, const std::string& game) const;
    std::string socket_path_;
};

}  // namespace gamesched::bus

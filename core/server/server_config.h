// Limits and places of the hint/control socket server. Every limit bounds what one local user can
// make the root core spend.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace gamesched::server {

struct ServerConfig {
    std::string runtime_dir = "/run/gamesched";
    std::string control_group = "gamesched";  // may use control.sock besides root
    // The D-Bus bridge's user: on control.sock it may act for its callers (on_behalf_of) and
    // forward administrator requests it had polkit authorise.
    std::string bridge_user = "gamesched-bus";
    bool accept_socket_activation = true;  // take "hints"/"control" fds from systemd

    // A hint outlives its sender's connection by this much, so a restarting helper can renew.
    std::chrono::milliseconds lease_grace{10'000};

    std::size_t max_games_per_uid = 16;
    // Compositor, audio server and its companions (pipewire, pipewire-pulse, ...).
    std::size_t max_desktop_per_uid = 4;
    double hints_per_second = 50;  // token bucket refill, per uid, every hints.sock record
    double hint_burst = 100;       // token bucket size
    // hints.sock and control.sock have separate connection budgets, so that no amount of hint
    // traffic can lock root or the bus bridge out of control.sock.
    std::size_t max_connections_per_uid = 32;  // hints.sock, per uid
    std::size_t max_hint_connections = 512;    // hints.sock, all uids together
    std::size_t max_control_connections_per_uid = 16;
    std::size_t max_control_connections = 64;

    // After accept() runs out of file descriptors, the listeners stay unpolled until a
    // connection or lease closes, or at the latest this long.
    std::chrono::milliseconds accept_retry{1'000};

    // A client that lets this much of our output pile up is dropped rather than buffered for.
    std::size_t max_outbox_records = 256;
    std::size_t max_outbox_bytes = 256 * 1024;

    // Fairness: records read from one connection per dispatch round.
    std::size_t max_records_per_round = 16;

    [[nodiscard]] std::string hints_path() const { return runtime_dir + "/hints.sock"; }
    [[nodiscard]] std::string control_path() const { return runtime_dir + "/control.sock"; }
};

}  // namespace gamesched::server

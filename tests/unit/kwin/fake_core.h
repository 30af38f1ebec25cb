// A stand-in for gamesched-core's hint socket: a SOCK_SEQPACKET listener that decodes requests
// with the protocol's own decoder and answers them.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace gamesched::testing {

// Serves `count` requests on one accepted connection; answers each with ok, or with an error
// when refuse is set. Returns the focus pids received (-1 for requests of another type). Gives up
// when nothing arrives within timeout.
std::vector<int> serve_focus_hints(int listen_fd, int count, bool refuse,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The same, describing each request received: "focus 4242", "compositor 77", "audio 78",
// "other". Serves every connection it accepts in turn (a helper that reconnects), until
// `count` requests in all.
std::vector<std::string> serve_hints(int listen_fd, int count, bool refuse,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace gamesched::testing

#include "tools/bench/presenter.h"

#include <poll.h>
#include <sys/socket.h>

#include "ipc/unix_socket.h"
#include "tools/bench/clock.h"

namespace gamesched::bench {

Result<std::unique_ptr<Presenter>> Presenter::connect(const std::string& socket_path) {
    // The compositor may still be starting: a few tries over a second.
    for (int attempt = 0;; ++attempt) {
        auto fd = ipc::connect_seqpacket(socket_path);
        if (fd) return std::make_unique<Presenter>(std::move(*fd));
        if (attempt == 20) {
            return fd.error().context("--compositor (is `gamesched-bench compositor --socket " + socket_path +
                                      "` running?)");
        }
        sleep_for_ns(50 * kNsPerMs);
    }
}

void Presenter::collect(std::vector<FrameRecord>& frames) {
    PresentMessage answer;
    while (::recv(fd_.get(), &answer, sizeof answer, MSG_DONTWAIT) == static_cast<ssize_t>(sizeof answer)) {
        ++answered_;
        if (answer.slot >= 0 && static_cast<size_t>(answer.slot) < frames.size())
            frames[static_cast<size_t>(answer.slot)].shown_ns = answer.shown_ns;
    }
}

void Presenter::present(int64_t slot, std::vector<FrameRecord>& frames) {
    const PresentMessage frame{slot, 0};
    if (::send(fd_.get(), &frame, sizeof frame, MSG_DONTWAIT | MSG_NOSIGNAL) ==
        static_cast<ssize_t>(sizeof frame))
        ++sent_;
    collect(frames);
}

void Presenter::finish(std::vector<FrameRecord>& frames, int64_t wait_ns) {
    const int64_t deadline = now_ns() + wait_ns;
    while (answered_ < sent_) {
        const int64_t left_ms = (deadline - now_ns()) / kNsPerMs;
        if (left_ms <= 0) break;
        pollfd pfd{fd_.get(), POLLIN, 0};
        if (::poll(&pfd, 1, static_cast<int>(left_ms)) <= 0) break;
        const uint64_t before = answered_;
        collect(frames);
        if (answered_ == before) break;  // hung up
    }
    fd_ = UniqueFd();
}

}  // namespace gamesched::bench

#include "tools/bench/input_source.h"

#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <utility>

#include "tools/bench/clock.h"

namespace gamesched::bench {
namespace {

[[noreturn]] void run_generator(int write_fd, double events_per_s, int64_t first_event_ns) {
    prctl(PR_SET_NAME, "gs-input-gen", 0, 0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
    const auto interval = static_cast<int64_t>(static_cast<double>(kNsPerS) / events_per_s);
    for (int64_t i = 0;; ++i) {
        sleep_until_ns(first_event_ns + i * interval);
        const int64_t stamp = now_ns();
        if (write(write_fd, &stamp, sizeof stamp) != static_cast<ssize_t>(sizeof stamp)) _exit(0);
    }
}

}  // namespace

InputSource::InputSource(UniqueFd fd, pid_t generator, bool is_evdev, std::string description)
    : fd_(std::move(fd)), generator_(generator), is_evdev_(is_evdev), description_(std::move(description)) {}

InputSource::InputSource(InputSource&& other) noexcept
    : fd_(std::move(other.fd_)),
      generator_(std::exchange(other.generator_, -1)),
      is_evdev_(other.is_evdev_),
      description_(std::move(other.description_)) {}

InputSource::~InputSource() {
    if (generator_ > 0) {
        kill(generator_, SIGKILL);
        waitpid(generator_, nullptr, 0);
    }
}

Result<InputSource> InputSource::open_device(const std::string& path) {
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd)
        return Error::from_errno("opening input device " + path +
                                 " (give an evdev node such as /dev/input/event3)");
    int version = 0;
    if (ioctl(fd.get(), EVIOCGVERSION, &version) < 0) {
        return Error::from_errno(path + " is not an evdev device (EVIOCGVERSION)");
    }
    // Event timestamps on the same clock the handler reads, so lateness is a plain difference.
    int clock = CLOCK_MONOTONIC;
    if (ioctl(fd.get(), EVIOCSCLOCKID, &clock) < 0) return Error::from_errno("EVIOCSCLOCKID on " + path);
    return InputSource(std::move(fd), -1, true, path);
}

Result<InputSource> InputSource::start_generator(double events_per_s, int64_t first_event_ns) {
    std::array<int, 2> fds{};
    if (pipe2(fds.data(), O_CLOEXEC | O_NONBLOCK) < 0)
        return Error::from_errno("pipe2 for the input generator");
    UniqueFd read_end(fds[0]);
    UniqueFd write_end(fds[1]);
    // The generator blocks on a full pipe rather than dropping events.
    fcntl(write_end.get(), F_SETFL, 0);
    const pid_t child = fork();
    if (child < 0) return Error::from_errno("fork for the input generator");
    if (child == 0) {
        read_end.reset();
        run_generator(write_end.get(), events_per_s, first_event_ns);
    }
    return InputSource(std::move(read_end), child, false,
                       "generator " + std::to_string(static_cast<int>(events_per_s)) + " Hz (pipe)");
}

Result<size_t> InputSource::wait(std::span<int64_t> out, int timeout_ms, int64_t& woke_ns) {
    pollfd p{fd_.get(), POLLIN, 0};
    const int ready = poll(&p, 1, timeout_ms);
    woke_ns = now_ns();
    if (ready < 0) return errno == EINTR ? Result<size_t>(size_t{0}) : Error::from_errno("poll on input");
    if (ready == 0) return size_t{0};
    if (p.revents & (POLLERR | POLLNVAL)) return Error::invalid("input source " + description_ + " failed");
    return is_evdev_ ? read_evdev(out) : read_pipe(out);
}

Result<size_t> InputSource::read_pipe(std::span<int64_t> out) {
    const ssize_t n = read(fd_.get(), out.data(), out.size_bytes());
    if (n < 0) return errno == EAGAIN ? Result<size_t>(size_t{0}) : Error::from_errno("reading input pipe");
    if (n == 0) return Error::invalid("the input generator exited");
    return static_cast<size_t>(n) / sizeof(int64_t);
}

Result<size_t> InputSource::read_evdev(std::span<int64_t> out) {
    std::array<input_event, 64> events{};
    const ssize_t n = read(fd_.get(), events.data(), sizeof events);
    if (n < 0) {
        if (errno == EAGAIN) return size_t{0};
        return Error::from_errno("reading " + description_);
    }
    size_t count = 0;
    // One sample per packet: the SYN_REPORT that closes it carries the packet's timestamp.
    for (size_t i = 0; i < static_cast<size_t>(n) / sizeof(input_event) && count < out.size(); ++i) {
        const input_event& e = events[i];
        if (e.type == EV_SYN && e.code == SYN_REPORT) {
            out[count++] = static_cast<int64_t>(e.input_event_sec) * kNsPerS +
                           static_cast<int64_t>(e.input_event_usec) * kNsPerUs;
        }
    }
    return count;
}

}  // namespace gamesched::bench

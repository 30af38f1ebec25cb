#include "tools/bench/audio_process.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <new>
#include <utility>

namespace gamesched::bench {

// What the two processes share: plain data only (no pointers, no allocations).
struct AudioProcess::Shared {
    std::atomic<bool> stop{false};
    pid_t tid = 0;
    double cpu_ms = 0;
    double run_delay_ms = 0;
    uint64_t timeslices = 0;
    long voluntary_switches = 0;
    long involuntary_switches = 0;
    size_t periods = 0;
    AudioRecord* records() { return reinterpret_cast<AudioRecord*>(this + 1); }
};
static_assert(std::atomic<bool>::is_always_lock_free, "the stop flag must work across processes");

Result<AudioProcess> AudioProcess::start(size_t periods, int64_t start_ns, int64_t period_ns, uint64_t loops,
                                         const std::string& name) {
    const size_t bytes = sizeof(Shared) + periods * sizeof(AudioRecord);
    void* mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) return Error::from_errno("mmap for the audio process");
    auto* shared = new (mem) Shared;
    shared->periods = periods;
    for (size_t i = 0; i < periods; ++i) new (shared->records() + i) AudioRecord;
    const pid_t child = fork();
    if (child < 0) {
        munmap(mem, bytes);
        return Error::from_errno("fork for the audio process");
    }
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        name_this_thread(name);
        audio_loop({shared->records(), periods}, start_ns, period_ns, loops, shared->stop);
        const ThreadStats s = this_thread_stats("audio");
        shared->tid = s.tid;
        shared->cpu_ms = s.cpu_ms;
        shared->run_delay_ms = s.run_delay_ms;
        shared->timeslices = s.timeslices;
        shared->voluntary_switches = s.voluntary_switches;
        shared->involuntary_switches = s.involuntary_switches;
        _exit(0);
    }
    return AudioProcess(shared, bytes, child);
}

AudioProcess::AudioProcess(AudioProcess&& other) noexcept
    : shared_(std::exchange(other.shared_, nullptr)),
      bytes_(std::exchange(other.bytes_, 0)),
      pid_(std::exchange(other.pid_, -1)) {}

AudioProcess::~AudioProcess() {
    stop();
    if (shared_) munmap(shared_, bytes_);
}

void AudioProcess::stop() {
    if (pid_ <= 0) return;
    shared_->stop.store(true);  // seen at its next period at the latest
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

std::span<const AudioRecord> AudioProcess::records() const {
    if (!shared_) return {};
    return {shared_->records(), shared_->periods};
}

ThreadStats AudioProcess::stats() const {
    ThreadStats s;
    if (!shared_) return s;
    s.tid = shared_->tid;
    s.role = "audio";
    s.cpu_ms = shared_->cpu_ms;
    s.run_delay_ms = shared_->run_delay_ms;
    s.timeslices = shared_->timeslices;
    s.voluntary_switches = shared_->voluntary_switches;
    s.involuntary_switches = shared_->involuntary_switches;
    return s;
}

}  // namespace gamesched::bench

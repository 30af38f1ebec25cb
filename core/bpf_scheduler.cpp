#include "core/bpf_scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <type_traits>
#include <utility>
#include <vector>

#include "bpf/baseline_fifo.skel.h"
#include "bpf/gamesched.skel.h"
#include "core/libbpf_owners.h"

namespace gamesched {
namespace {

template <typename Skel, void (*Destroy)(Skel*)>
using SkeletonPtr = std::unique_ptr<Skel, SkeletonDeleter<Skel, Destroy>>;

Error libbpf_error(const std::string& what, int err) {
    return Error::from_errno(what, err < 0 ? -err : err);
}

Result<BpfLinkPtr> attach_struct_ops(bpf_map* ops_map) {
    bpf_link* link = bpf_map__attach_struct_ops(ops_map);
    if (link == nullptr) {
        return libbpf_error(
            "attaching struct_ops (is another sched_ext scheduler attached, or does "
            "the kernel lack sched_ext?)",
            errno);
    }
    return BpfLinkPtr(link);
}

Result<BpfLinkPtr> attach_program(bpf_program* prog, const char* what) {
    bpf_link* link = bpf_program__attach(prog);
    if (link == nullptr) return libbpf_error(std::string("attaching ") + what, errno);
    return BpfLinkPtr(link);
}

// What one skeleton type needs beyond the common part: its maps and its programs to attach.
struct GameschedTraits {
    using Skel = gamesched_bpf;
    static constexpr const char* kName = GS_OPS_NAME;
    static bpf_map* ops(Skel* s) { return s->maps.gamesched_ops; }
};
struct FifoTraits {
    using Skel = baseline_fifo_bpf;
    static constexpr const char* kName = GS_FIFO_OPS_NAME;
    static bpf_map* ops(Skel* s) { return s->maps.fifo_ops; }
};

// Members are destroyed in reverse order: the links (detach) go before the skeleton.
template <typename Traits, void (*Destroy)(typename Traits::Skel*)>
class Loaded final : public BpfScheduler {
public:
    using Skel = typename Traits::Skel;

    Loaded(SkeletonPtr<Skel, Destroy> skel, SchedulerMaps maps, bool input_loaded)
        : skel_(std::move(skel)), maps_(maps), input_loaded_(input_loaded) {}

    [[nodiscard]] const char* ops_name() const override { return Traits::kName; }
    [[nodiscard]] gs_exit_info exit_info() const override { return skel_->data->exit_info; }
    [[nodiscard]] int exit_events_fd() const override { return bpf_map__fd(skel_->maps.exit_events); }
    [[nodiscard]] int stats_fd() const override { return bpf_map__fd(skel_->maps.stats); }
    [[nodiscard]] SchedulerMaps maps() const override { return maps_; }
    [[nodiscard]] bool input_in_kernel() const override { return input_in_kernel_; }

    Status attach() override {
        if constexpr (std::is_same_v<Skel, gamesched_bpf>) {
            // Process events and the input hook first: the scheduler must never run without them.
            for (auto [prog, what] : {std::pair{skel_->progs.gamesched_exec, "the exec tracepoint"},
                                      std::pair{skel_->progs.gamesched_exit_tp, "the exit tracepoint"}}) {
                auto l = attach_program(prog, what);
                if (!l) return l.error();
                program_links_.push_back(std::move(*l));
            }
            if (input_loaded_) {
                if (auto l = attach_program(skel_->progs.gamesched_input_event, "fentry/input_event")) {
                    program_links_.push_back(std::move(*l));
                    input_in_kernel_ = true;
                } else {
                    spdlog::warn("{}; input boost falls back to reading devices in userspace",
                                 l.error().message);
                }
            }
        }
        auto link = attach_struct_ops(Traits::ops(skel_.get()));
        if (!link) return link.error();
        link_ = std::move(*link);
        return Ok{};
    }

    gs_exit_info detach() override {
        program_links_.clear();
        link_.reset();
        return exit_info();
    }

private:
    SkeletonPtr<Skel, Destroy> skel_;
    SchedulerMaps maps_;
    bool input_loaded_;
    bool input_in_kernel_ = false;
    std::vector<BpfLinkPtr> program_links_;
    BpfLinkPtr link_;
};

void fill_topology(gamesched_bpf* skel, const Topology& topo) {
    auto nr_llcs = std::clamp<unsigned>(topo.nr_llcs, 1, GS_MAX_LLCS);
    skel->rodata->nr_cpus = std::clamp<unsigned>(topo.nr_cpus, 1, GS_MAX_CPUS);
    skel->rodata->nr_llcs = nr_llcs;
    for (unsigned cpu = 0; cpu < topo.cpu_llc.size() && cpu < GS_MAX_CPUS; ++cpu) {
        skel->rodata->cpu_llc[cpu] = std::min(topo.cpu_llc[cpu], nr_llcs - 1);
    }
}

Result<std::unique_ptr<BpfScheduler>> load_gamesched(const LoadOptions& options) {
    SkeletonPtr<gamesched_bpf, gamesched_bpf__destroy> skel(gamesched_bpf__open());
    if (!skel) return libbpf_error("opening the gamesched BPF object", errno);
    fill_topology(skel.get(), options.topology);
#ifdef GAMESCHED_TEST_HOOKS
    skel->rodata->test_error_after_ns = options.test_error_after_ns;
    skel->rodata->test_without_peek = options.test_without_peek;
#endif
    // Without the in-kernel input program the core writes input_state itself.
    bpf_program__set_autoload(skel->progs.gamesched_input_event, options.input_in_kernel);
    if (int err = gamesched_bpf__load(skel.get()); err != 0) {
        if (!options.input_in_kernel) {
            return libbpf_error("loading the gamesched BPF programs (the verifier log above says why)", err);
        }
        // input_event may be missing from this kernel's BTF: retry without that program.
        spdlog::warn("loading with the in-kernel input program failed; retrying without it");
        LoadOptions fallback = options;
        fallback.input_in_kernel = false;
        return load_gamesched(fallback);
    }
    const auto& m = skel->maps;
    SchedulerMaps maps{
        .tunables = bpf_map__fd(m.tunables),
        .games = bpf_map__fd(m.games),
        .games_generation = bpf_map__fd(m.games_generation),
        .focus = bpf_map__fd(m.focus),
        .input_devices = bpf_map__fd(m.input_devices),
        .input_state = bpf_map__fd(m.input_state),
        .game_threads = bpf_map__fd(m.game_threads),
        .name_hints = bpf_map__fd(m.name_hints),
        .wait_hist = bpf_map__fd(m.wait_hist),
        .proc_events = bpf_map__fd(m.proc_events),
        .game_stats = bpf_map__fd(m.game_stats),
        .background_runtime = bpf_map__fd(m.background_runtime),
        .desktop_procs = bpf_map__fd(m.desktop_procs),
    };
    return std::unique_ptr<BpfScheduler>(std::make_unique<Loaded<GameschedTraits, gamesched_bpf__destroy>>(
        std::move(skel), maps, options.input_in_kernel));
}

Result<std::unique_ptr<BpfScheduler>> load_fifo() {
    SkeletonPtr<baseline_fifo_bpf, baseline_fifo_bpf__destroy> skel(baseline_fifo_bpf__open());
    if (!skel) return libbpf_error("opening the FIFO baseline BPF object", errno);
    if (int err = baseline_fifo_bpf__load(skel.get()); err != 0) {
        return libbpf_error("loading the FIFO baseline BPF programs", err);
    }
    return std::unique_ptr<BpfScheduler>(std::make_unique<Loaded<FifoTraits, baseline_fifo_bpf__destroy>>(
        std::move(skel), SchedulerMaps{}, false));
}

}  // namespace

// The analyzer loses track of the unique_ptr moved into the Result here and reports a leak.
// NOLINTBEGIN(clang-analyzer-cplusplus.NewDeleteLeaks)
Result<std::unique_ptr<BpfScheduler>> load_scheduler(const LoadOptions& options) {
    return options.kind == SchedulerKind::Gamesched ? load_gamesched(options) : load_fifo();
}
// NOLINTEND(clang-analyzer-cplusplus.NewDeleteLeaks)

}  // namespace gamesched

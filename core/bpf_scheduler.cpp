#include "core/bpf_scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "bpf/baseline_fifo.skel.h"
#include "bpf/gamesched.skel.h"
#include "core/libbpf_owners.h"

namespace gamesched {
namespace {

template <typename Skel, void (*Destroy)(Skel*)>
using SkeletonPtr = std::unique_ptr<Skel, SkeletonDeleter<Skel, Destroy>>;

// Members are destroyed in reverse order: the links (detach) go before the skeleton.
template <typename Skel, void (*Destroy)(Skel*)>
class Attached final : public AttachedScheduler {
public:
    Attached(const char* name, SkeletonPtr<Skel, Destroy> skel, BpfLinkPtr link, SchedulerMaps maps,
             std::vector<BpfLinkPtr> program_links, bool input_in_kernel)
        : name_(name),
          skel_(std::move(skel)),
          link_(std::move(link)),
          maps_(maps),
          program_links_(std::move(program_links)),
          input_in_kernel_(input_in_kernel) {}

    [[nodiscard]] const char* ops_name() const override { return name_; }
    [[nodiscard]] gs_exit_info exit_info() const override { return skel_->data->exit_info; }
    [[nodiscard]] int exit_events_fd() const override { return bpf_map__fd(skel_->maps.exit_events); }
    [[nodiscard]] int stats_fd() const override { return bpf_map__fd(skel_->maps.stats); }
    [[nodiscard]] SchedulerMaps maps() const override { return maps_; }
    [[nodiscard]] bool input_in_kernel() const override { return input_in_kernel_; }
    gs_exit_info detach() override {
        program_links_.clear();
        link_.reset();
        return exit_info();
    }

private:
    const char* name_;
    SkeletonPtr<Skel, Destroy> skel_;
    BpfLinkPtr link_;
    SchedulerMaps maps_;
    std::vector<BpfLinkPtr> program_links_;
    bool input_in_kernel_;
};

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

void fill_topology(gamesched_bpf* skel, const Topology& topo) {
    auto nr_llcs = std::clamp<unsigned>(topo.nr_llcs, 1, GS_MAX_LLCS);
    skel->rodata->nr_cpus = std::clamp<unsigned>(topo.nr_cpus, 1, GS_MAX_CPUS);
    skel->rodata->nr_llcs = nr_llcs;
    for (unsigned cpu = 0; cpu < topo.cpu_llc.size() && cpu < GS_MAX_CPUS; ++cpu) {
        skel->rodata->cpu_llc[cpu] = std::min(topo.cpu_llc[cpu], nr_llcs - 1);
    }
}

Result<std::unique_ptr<AttachedScheduler>> attach_gamesched(const AttachOptions& options) {
    SkeletonPtr<gamesched_bpf, gamesched_bpf__destroy> skel(gamesched_bpf__open());
    if (!skel) return libbpf_error("opening the gamesched BPF object", errno);
    fill_topology(skel.get(), options.topology);
#ifdef GAMESCHED_TEST_HOOKS
    skel->rodata->test_error_after_ns = options.test_error_after_ns;
#endif
    // Without the in-kernel input program the core writes input_state itself.
    bpf_program__set_autoload(skel->progs.gamesched_input_event, options.input_in_kernel);
    if (int err = gamesched_bpf__load(skel.get()); err != 0) {
        if (!options.input_in_kernel) {
            return libbpf_error("loading the gamesched BPF programs (the verifier log above says why)", err);
        }
        // input_event may be missing from this kernel's BTF: retry without that program.
        spdlog::warn("loading with the in-kernel input program failed; retrying without it");
        AttachOptions fallback = options;
        fallback.input_in_kernel = false;
        return attach_gamesched(fallback);
    }

    // Process events and the input hook first: the scheduler must never run without them.
    std::vector<BpfLinkPtr> links;
    for (auto [prog, what] : {std::pair{skel->progs.gamesched_exec, "the exec tracepoint"},
                              std::pair{skel->progs.gamesched_exit_tp, "the exit tracepoint"}}) {
        auto l = attach_program(prog, what);
        if (!l) return l.error();
        links.push_back(std::move(*l));
    }
    bool input_in_kernel = false;
    if (options.input_in_kernel) {
        if (auto l = attach_program(skel->progs.gamesched_input_event, "fentry/input_event")) {
            links.push_back(std::move(*l));
            input_in_kernel = true;
        } else {
            spdlog::warn("{}; input boost falls back to reading devices in userspace", l.error().message);
        }
    }
    auto link = attach_struct_ops(skel->maps.gamesched_ops);
    if (!link) return link.error();
    SchedulerMaps maps{
        .tunables = bpf_map__fd(skel->maps.tunables),
        .games = bpf_map__fd(skel->maps.games),
        .focus = bpf_map__fd(skel->maps.focus),
        .input_devices = bpf_map__fd(skel->maps.input_devices),
        .input_state = bpf_map__fd(skel->maps.input_state),
        .game_threads = bpf_map__fd(skel->maps.game_threads),
        .name_hints = bpf_map__fd(skel->maps.name_hints),
        .wait_hist = bpf_map__fd(skel->maps.wait_hist),
        .proc_events = bpf_map__fd(skel->maps.proc_events),
        .game_stats = bpf_map__fd(skel->maps.game_stats),
        .background_runtime = bpf_map__fd(skel->maps.background_runtime),
    };
    return std::unique_ptr<AttachedScheduler>(
        std::make_unique<Attached<gamesched_bpf, gamesched_bpf__destroy>>(
            GS_OPS_NAME, std::move(skel), std::move(*link), maps, std::move(links), input_in_kernel));
}

Result<std::unique_ptr<AttachedScheduler>> attach_fifo() {
    SkeletonPtr<baseline_fifo_bpf, baseline_fifo_bpf__destroy> skel(baseline_fifo_bpf__open());
    if (!skel) return libbpf_error("opening the FIFO baseline BPF object", errno);
    if (int err = baseline_fifo_bpf__load(skel.get()); err != 0) {
        return libbpf_error("loading the FIFO baseline BPF programs", err);
    }
    auto link = attach_struct_ops(skel->maps.fifo_ops);
    if (!link) return link.error();
    return std::unique_ptr<AttachedScheduler>(
        std::make_unique<Attached<baseline_fifo_bpf, baseline_fifo_bpf__destroy>>(
            GS_FIFO_OPS_NAME, std::move(skel), std::move(*link), SchedulerMaps{}, std::vector<BpfLinkPtr>{},
            false));
}

}  // namespace

// The analyzer loses track of the unique_ptr moved into the Result here and reports a leak.
// NOLINTNEXTLINE(clang-analyzer-cplusplus.NewDeleteLeaks)
Result<std::unique_ptr<AttachedScheduler>> attach_scheduler(const AttachOptions& options) {
    return options.kind == SchedulerKind::Gamesched ? attach_gamesched(options) : attach_fifo();
}

}  // namespace gamesched

// unique_ptr owners for libbpf objects, so that every link, ring buffer and skeleton is released
// by its owner on every path.
#pragma once

#include <bpf/libbpf.h>

#include <memory>

namespace gamesched {

struct BpfLinkDeleter {
    void operator()(bpf_link* link) const { bpf_link__destroy(link); }
};
using BpfLinkPtr = std::unique_ptr<bpf_link, BpfLinkDeleter>;

struct RingBufferDeleter {
    void operator()(ring_buffer* rb) const { ring_buffer__free(rb); }
};
using RingBufferPtr = std::unique_ptr<ring_buffer, RingBufferDeleter>;

// Skeletons each have their own __destroy; the deleter is parameterised by it.
template <typename Skel, void (*Destroy)(Skel*)>
struct SkeletonDeleter {
    void operator()(Skel* skel) const { Destroy(skel); }
};

// Routes libbpf's messages (the verifier log among them) to the process logger.
void route_libbpf_logs_to_spdlog();

}  // namespace gamesched

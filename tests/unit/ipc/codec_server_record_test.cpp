// What clients accept from the core: strictly checked replies and pushes.
#include "ipc/codec.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cerrno>

using namespace gamesched::ipc;
using Catch::Matchers::ContainsSubstring;

namespace {
bool accepted_from_core(const std::string& record) {
    return decode_server_record(record, Channel::hints).ok();
}
}  // namespace

TEST_CASE("replies need a version, a boolean ok and, when not ok, an error text") {
    CHECK(accepted_from_core(R"({"v":1,"id":3,"ok":true,"games":[]})"));
    CHECK(accepted_from_core(R"({"v":1,"ok":false,"error":"refused"})"));
    CHECK_FALSE(accepted_from_core(R"({"id":3,"ok":true})"));
    CHECK_FALSE(accepted_from_core(R"({"v":2,"id":3,"ok":true})"));
    CHECK_FALSE(accepted_from_core(R"({"v":1,"id":3,"ok":"yes"})"));
    CHECK_FALSE(accepted_from_core(R"({"v":1,"id":3,"ok":false})"));
    CHECK_FALSE(accepted_from_core(R"({"v":1,"id":3,"ok":false,"error":"x","extra":1})"));
    CHECK_FALSE(accepted_from_core(R"({"v":1,"id":-3,"ok":true})"));
    CHECK_FALSE(accepted_from_core("{\"v\":1,\"ok\":false,\"error\":\"\x01\"}"));
}

TEST_CASE("a refusal may name its cause as an errno; an unknown name leaves it unspecified") {
    const auto code_of = [](const std::string& record) {
        auto decoded = decode_server_record(record, Channel::hints);
        REQUIRE(decoded.ok());
        return std::get<Reply>(*decoded).code;
    };
    CHECK(code_of(R"({"v":1,"id":3,"ok":false,"error":"not yours","errno":"EPERM"})") == EPERM);
    CHECK(code_of(R"({"v":1,"id":3,"ok":false,"error":"gone","errno":"ESRCH"})") == ESRCH);
    CHECK(code_of(R"({"v":1,"id":3,"ok":false,"error":"new","errno":"EFUTURE"})") == 0);
    CHECK_FALSE(accepted_from_core(R"({"v":1,"id":3,"ok":false,"error":"x","errno":1})"));
    CHECK_FALSE(accepted_from_core(R"({"v":1,"id":3,"ok":false,"error":"x","errno":"EVERYTHINGWENTWRONG"})"));
    // The encoder sends only names it knows; a code without one goes out unspecified.
    CHECK(encode_reply(error_reply(3, "x", EPERM)).find(R"("errno":"EPERM")") != std::string::npos);
    CHECK(encode_reply(error_reply(3, "x", ENOTTY)).find("errno") == std::string::npos);
}

TEST_CASE("pushes must be core-pushed types with valid fields") {
    const std::string event =
        R"({"v":1,"type":"process_event","kind":"exec","pid":5,"ppid":1,"uid":0,"comm":"sh","ts_ns":1})";
    CHECK(accepted_from_core(event));
    CHECK_FALSE(accepted_from_core(R"({"v":1,"type":"game_started","pid":5})"));
    CHECK_FALSE(accepted_from_core(R"({"v":1,"type":"bogus"})"));
    CHECK_FALSE(accepted_from_core(R"({"v":1})"));
    CHECK_FALSE(accepted_from_core(R"({"v":1,"type":"stats_sample","sample":[1]})"));
    CHECK_FALSE(accepted_from_core(R"({"v":1,"type":"stats_sample"})"));
    CHECK_FALSE(accepted_from_core(R"({"v":1,"type":"stats_sample","sample":{},"more":1})"));
    const std::string bad_kind =
        R"({"v":1,"type":"process_event","kind":"fork","pid":5,"ppid":1,"uid":0,"comm":"sh","ts_ns":1})";
    CHECK_FALSE(accepted_from_core(bad_kind));
    const std::string bad_pid =
        R"({"v":1,"type":"process_event","kind":"exit","pid":0,"ppid":1,"uid":0,"comm":"sh","ts_ns":1})";
    CHECK_FALSE(accepted_from_core(bad_pid));
    const std::string long_comm = R"({"v":1,"type":"process_event","kind":"exit","pid":1,"ppid":1,)"
                                  R"("uid":0,"ts_ns":1,"comm":")" +
                                  std::string(65, 'c') + "\"}";
    CHECK_FALSE(accepted_from_core(long_comm));
}

TEST_CASE("server records above the channel cap are refused") {
    std::string record = R"({"v":1,"id":1,"ok":true})";
    record.resize(kHintsMaxRecord + 1, ' ');
    auto decoded = decode_server_record(record, Channel::hints);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().code == EMSGSIZE);
    CHECK(decode_server_record(record, Channel::control).ok());
}

// Every message survives encode → decode unchanged, on the channel it belongs to.
#include "ipc/codec.h"
#include "tests/unit/ipc/examples.h"

#include <catch2/catch_test_macros.hpp>

#include <set>

using namespace gamesched::ipc;
using gamesched::ipc::test::push_examples;
using gamesched::ipc::test::reply_examples;
using gamesched::ipc::test::request_examples;

TEST_CASE("every request type has a round-trip example") {
    std::set<MessageType> covered;
    for (const auto& example : request_examples()) covered.insert(message_type(example.request.message));
    for (const auto& push : push_examples()) covered.insert(message_type(push));
    CHECK(covered.size() == all_types().size());
}

TEST_CASE("requests round-trip through the codec") {
    for (const auto& example : request_examples()) {
        const std::string record = encode_request(example.request);
        INFO(record);
        auto decoded = decode_request(record, example.channel);
        REQUIRE(decoded.ok());
        CHECK(*decoded == example.request);
        // Hint types are accepted on control.sock too, with the same meaning.
        if (example.channel == Channel::hints) {
            auto on_control = decode_request(record, Channel::control);
            REQUIRE(on_control.ok());
            CHECK(*on_control == example.request);
        }
    }
}

TEST_CASE("set_mode accepts scx_loader's mode numbers as well as names") {
    for (int number = 0; number <= 4; ++number) {
        const std::string record =
            R"({"v":1,"id":1,"type":"set_mode","mode":)" + std::to_string(number) + "}";
        auto decoded = decode_request(record, Channel::control);
        REQUIRE(decoded.ok());
        const auto mode = std::get<SetMode>(decoded->message).mode;
        CHECK(static_cast<int>(mode) == number);
        CHECK(mode_from_name(mode_name(mode)) == mode);
    }
}

TEST_CASE("pushed messages round-trip through the server-record decoder") {
    for (const auto& push : push_examples()) {
        const std::string record = encode_push(push);
        INFO(record);
        auto decoded = decode_server_record(record, Channel::control);
        REQUIRE(decoded.ok());
        REQUIRE(std::holds_alternative<Message>(*decoded));
        CHECK(std::get<Message>(*decoded) == push);
    }
}

TEST_CASE("replies round-trip and keep the request id") {
    for (const auto& reply : reply_examples()) {
        const std::string record = encode_reply(reply);
        INFO(record);
        auto decoded = decode_server_record(record, Channel::hints);
        REQUIRE(decoded.ok());
        REQUIRE(std::holds_alternative<Reply>(*decoded));
        CHECK(std::get<Reply>(*decoded) == reply);
    }
}

TEST_CASE("a reply body cannot override the envelope") {
    const auto record = encode_reply(ok_reply(7, {{"id", 99}, {"ok", false}, {"v", 5}, {"n", 1}}));
    auto decoded = decode_server_record(record, Channel::hints);
    REQUIRE(decoded.ok());
    const auto& reply = std::get<Reply>(*decoded);
    CHECK(reply.id == 7u);
    CHECK(reply.ok);
    CHECK(reply.body == nlohmann::json{{"n", 1}});
}

TEST_CASE("the encoder makes kernel task names safe") {
    ProcessEvent event{ProcessEventKind::exec, 10, 1, 0, std::string("a\xff\x01z\n", 5), 1};
    auto decoded = decode_server_record(encode_push(event), Channel::hints);
    REQUIRE(decoded.ok());
    const auto& comm = std::get<ProcessEvent>(std::get<Message>(*decoded)).comm;
    CHECK(comm == "a\xEF\xBF\xBD\xEF\xBF\xBDz\xEF\xBF\xBD");
}

TEST_CASE("error replies are sanitized and never empty") {
    auto decoded = decode_server_record(encode_reply(error_reply(1, "")), Channel::hints);
    REQUIRE(decoded.ok());
    CHECK(std::get<Reply>(*decoded).error == "unspecified error");
    auto bad = decode_server_record(encode_reply(error_reply(1, "x\x01\xc0")), Channel::hints);
    REQUIRE(bad.ok());
    CHECK(std::get<Reply>(*bad).error == "x\xEF\xBF\xBD\xEF\xBF\xBD");
    auto long_error =
        decode_server_record(encode_reply(error_reply(1, std::string(5000, 'e'))), Channel::hints);
    REQUIRE(long_error.ok());
    CHECK(std::get<Reply>(*long_error).error.size() == kMaxErrorBytes);
}

// An element of the IR is named by its position in one of the program's vectors. Each kind of
// element has its own id type, so that an event's id cannot be passed where a rule's is meant:
// the mix-up fails to compile. An id is a trivially copyable 32-bit integer; -1 is `none`.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

namespace kaohe::ir {

// The position of an element of kind Tag. Made from a position only explicitly (`Id<T>::at`),
// read back as one only through index(), so that the kind stays visible at both ends.
template <class Tag>
struct Id {
    std::int32_t v = -1;

    constexpr Id() = default;
    constexpr explicit Id(std::int32_t i) : v(i) {}
    // The element at position i of a program's vector (far fewer than 2^31: each element is written
    // somewhere in the rule files).
    static constexpr Id at(std::size_t i) { return Id(static_cast<std::int32_t>(i)); }

    constexpr bool valid() const { return v >= 0; }
    // The position, for indexing a vector; only for a valid id.
    constexpr std::size_t index() const { return static_cast<std::size_t>(v); }

    friend constexpr bool operator==(Id, Id) = default;
    friend constexpr auto operator<=>(Id, Id) = default;
};

// `none`: no element, of whichever kind it is compared with or stored into.
struct None {
    template <class Tag>
    constexpr operator Id<Tag>() const { return Id<Tag>(); }
    template <class Tag>
    friend constexpr bool operator==(Id<Tag> id, None) { return !id.valid(); }
};
inline constexpr None none{};

using AttributeId = Id<struct AttributeTag>;  // in Program::attributes
using ValueId = Id<struct ValueTag>;          // in one attribute's values
using SlotId = Id<struct SlotTag>;            // in one event type's attributes (a record event's values)
using EventId = Id<struct EventTag>;          // in Program::events (an event type)
using MeasureId = Id<struct MeasureTag>;      // in Program::measures
using GroupId = Id<struct GroupTag>;          // in Program::groups
using RoleId = Id<struct RoleTag>;            // in Program::roles
using NodeId = Id<struct NodeTag>;            // in Program::nodes
using RuleId = Id<struct RuleTag>;            // in Program::rules
using ExprId = Id<struct ExprTag>;            // in Program::exprs
using NamedId = Id<struct NamedTag>;            // in Program::values (a named value)
using TableId = Id<struct TableTag>;          // in Program::tables

static_assert(std::is_trivially_copyable_v<RuleId> && sizeof(RuleId) == sizeof(std::int32_t));

// A vector of values by one kind of id: v[id] compiles only with an id of that kind. Element
// access is the std::vector's, so it costs nothing more.
template <class IdType, class T>
class IdVector {
public:
    IdVector() = default;
    IdVector(std::size_t n, const T& value) : v_(n, value) {}

    decltype(auto) operator[](IdType i) { return v_[i.index()]; }
    decltype(auto) operator[](IdType i) const { return v_[i.index()]; }

    std::size_t size() const { return v_.size(); }
    bool empty() const { return v_.empty(); }
    void assign(std::size_t n, const T& value) { v_.assign(n, value); }
    void clear() { v_.clear(); }
    void push_back(T value) { v_.push_back(std::move(value)); }
    auto begin() { return v_.begin(); }
    auto end() { return v_.end(); }
    auto begin() const { return v_.begin(); }
    auto end() const { return v_.end(); }

    // The ids of the elements, in order: `for (SlotId s : v.ids())`.
    struct Ids {
        std::size_t n;
        struct Iterator {
            std::int32_t i;
            IdType operator*() const { return IdType(i); }
            Iterator& operator++() { return ++i, *this; }
            bool operator==(const Iterator&) const = default;
        };
        Iterator begin() const { return {0}; }
        Iterator end() const { return {static_cast<std::int32_t>(n)}; }
    };
    Ids ids() const { return {v_.size()}; }

private:
    std::vector<T> v_;
};

}  // namespace kaohe::ir

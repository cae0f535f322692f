// Crashes clang 19's parser: a braced co_await in a template argument of a
// lambda's return type.
template <int N> struct Box {};
void make() { []() -> Box<{ co_await 1 }> {}; }

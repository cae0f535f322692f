// Included with -isystem: findings here are never reported.
#pragma once
#include "../coro.h"
inline lazy_task<int> sys_fetch() { co_return 1; }
inline void sys_drop() { sys_fetch(); }

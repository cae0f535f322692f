// QCoro through its real headers (Debian's qcoro-qt5-dev, QCoro 0.8.0 with
// Qt 5.15), recognised with no configuration (model/libraries/QCoro.cpp):
// QCoro::Task is eager (dropping it detaches); QCoro::waitFor and Qt's
// blocking waits (QThread::msleep, QProcess::waitForFinished) block the
// event loop a QCoro coroutine runs on; QCoro's own awaitable wrappers
// ('qCoro(process).waitForFinished()', QCoro::sleepFor) do not.
// RUN: not %corolint --checks='-*,async-*' %s -- -std=c++20 -fPIC %qcoro-flags \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'
// RUN: %clang_tidy_plugin --checks='-*,async-*' %s -- -std=c++20 -fPIC %qcoro-flags \
// RUN:   | FileCheck %s --implicit-check-not='{{warning|error}}:'

#include <QCoroProcess>
#include <QCoroTask>
#include <QCoroTimer>
#include <QProcess>
#include <QThread>
#include <chrono>

using namespace std::chrono_literals;

QCoro::Task<int> fetch(int key);
void work();

// ===== Positive =====

QCoro::Task<> drops_a_task() {
  fetch(1);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine task returned by 'fetch' is never awaited; it runs detached and its result and exceptions are lost [async-unawaited-task]
  co_return;
}

QCoro::Task<> sleeps() {
  QThread::msleep(5);
  // CHECK: :[[@LINE-1]]:3: warning: 'msleep' blocks the thread that runs this coroutine; use 'co_await QCoro::sleepFor(...)' [async-blocking-call]
  co_return;
}

QCoro::Task<> waits_for_a_process(QProcess &process) {
  process.waitForFinished();
  // CHECK: :[[@LINE-1]]:3: warning: 'waitForFinished' blocks the thread that runs this coroutine; 'co_await' QCoro's wrapper instead ('co_await qCoro(device).waitForReadyRead()', 'qCoro(socket).waitForConnected()', 'qCoro(process).waitForFinished()') [async-blocking-call]
  co_return;
}

QCoro::Task<int> nests_an_event_loop() {
  int v = QCoro::waitFor(fetch(1));
  // CHECK: :[[@LINE-1]]:11: warning: 'waitFor' blocks the thread that runs this coroutine; 'co_await' the task instead: 'QCoro::waitFor' and 'QEventLoop::exec' run a nested event loop inside this coroutine [async-blocking-call]
  co_return v;
}

QCoro::Task<> spins() {
  while (true)
    work();
  // CHECK: :[[@LINE-2]]:3: warning: loop in a coroutine never suspends or checks for cancellation and nothing ends it: it holds its worker thread and cannot be cancelled; 'co_await QCoro::sleepFor(0ms)' inside it to let the event loop run, or move the work to 'QtConcurrent::run' [async-loop-without-suspend]
  // CHECK: :[[@LINE-3]]:10: note: the condition is always true
  co_return;
}

// ===== Negative =====

QCoro::Task<> awaits() { co_await fetch(1); }

QCoro::Task<> sleeps_on_the_event_loop() { co_await QCoro::sleepFor(5ms); }

QCoro::Task<> awaits_the_process(QProcess &process) {
  co_await qCoro(process).waitForFinished();
}

QCoro::Task<> yields() {
  while (true) {
    work();
    co_await QCoro::sleepFor(0ms);
  }
}

void outside_a_coroutine(QProcess &process) {
  process.waitForFinished();
  QThread::msleep(1);
}

int main() { return QCoro::waitFor(fetch(1)); }

//===--- QCoro.cpp - the model's table for QCoro (and Qt's blocking calls) ===//

#include "model/LibraryTable.h"

namespace clang::tidy::corolint::model {

// Source of truth: QCoro 0.8.0 with Qt 5.15 (Debian's qcoro-qt5-dev:
// /usr/include/qcoro5/qcoro/qcorotask.h, qcorotimer.h, qcoroiodevice.h,
// qcoroprocess.h, qcorofuture.h) and Qt's own blocking waits, which a QCoro
// coroutine runs on the thread of its event loop.
LibraryTable qcoroTable() {
  LibraryTable T;
  T.Name = "QCoro";
  T.Source = "QCoro 0.8.0 headers (Debian qcoro-qt5-dev); Qt 5.15";
  T.Namespaces = {"QCoro::",           "QThread::",      "QIODevice::",
                  "QAbstractSocket::", "QLocalSocket::", "QProcess::",
                  "QNetworkReply::",   "QFuture::",      "QEventLoop::"};
  T.role(Role::EagerTaskType) = {"QCoro::Task"};
  T.role(Role::CancelSafe) = {"QCoro::sleepFor", "QCoro::sleepUntil"};
  T.blocking(BlockingKind::Sleep) = {"QThread::(sleep|msleep|usleep)"};
  T.blocking(BlockingKind::IO) = {
      "(QIODevice|QAbstractSocket|QLocalSocket|QProcess|QNetworkReply)::"
      "waitFor[A-Za-z]*"};
  T.blocking(BlockingKind::Future) = {"QFuture::(waitForFinished|result)"};
  T.blocking(BlockingKind::BlockOn) = {"QCoro::waitFor", "QEventLoop::exec"};
  T.advice(BlockingKind::Sleep) = "use 'co_await QCoro::sleepFor(...)'";
  T.advice(BlockingKind::Future) =
      "'co_await' the QFuture instead (<QCoroFuture>)";
  T.advice(BlockingKind::IO) =
      "'co_await' QCoro's wrapper instead ('co_await "
      "qCoro(device).waitForReadyRead()', 'qCoro(socket).waitForConnected()', "
      "'qCoro(process).waitForFinished()')";
  T.advice(BlockingKind::BlockOn) =
      "'co_await' the task instead: 'QCoro::waitFor' and 'QEventLoop::exec' "
      "run a nested event loop inside this coroutine";
  T.advice(BlockingKind::Offload) =
      "run the call with 'QtConcurrent::run' and 'co_await' the QFuture it "
      "returns";
  T.advice(BlockingKind::Spin) =
      "'co_await QCoro::sleepFor(0ms)' inside it to let the event loop run, "
      "or move the work to 'QtConcurrent::run'";
  return T;
}

} // namespace clang::tidy::corolint::model

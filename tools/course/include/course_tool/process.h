// The course's process library (common/process.h), under the tools' namespace.
#pragma once

#include "common/process.h"

namespace course::tool {
using course::ChildProcess;
using course::find_program;
using course::interactive_terminal;
using course::ProcessLimits;
using course::ProcessOptions;
using course::ProcessResult;
using course::run_process;
using course::seconds_since;
using course::shell_command;
using course::SpawnOptions;
}  // namespace course::tool

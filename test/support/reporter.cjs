// Mocha's spec reporter, plus the one summary line CI reads: "N passed, N failed".
'use strict';
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => failed++);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      // Printed after the spec summary so it is the last line of the run.
      process.on('exit', () => console.log(`${passed} passed, ${failed} failed`));
    });
  }
}

module.exports = SummaryReporter;

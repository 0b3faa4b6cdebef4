// Runs the cozynet CLI from the sources in a child process (tests that kill
// it, run it concurrently or feed it a pipe).
import { main } from '../../src/cli/main';
main();

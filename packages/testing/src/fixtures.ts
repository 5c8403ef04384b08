// The recorded responses and their loader live in ai.matey.fixtures (which depends on nothing, so
// ai.matey.wire can test itself with them); re-exported here so the test kit's API stays whole.
export {
  type Fixture,
  type FixtureProtocol,
  fixtureSseTerminator,
  fixturesDir,
  fixtureToSse,
  fixtureToSseFrames,
  listFixtures,
  readFixture,
  readFixtureFiles,
  splitChunks,
} from 'ai.matey.fixtures';

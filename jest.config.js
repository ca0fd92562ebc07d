/** Run through `npm test` (test/run.ts), which starts the PostgreSQL and Redis the tests use. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.[tj]sx?$': [
      'ts-jest',
      {
        tsconfig: {
          isolatedModules: true,
          module: 'commonjs',
          moduleResolution: 'node10',
          allowJs: true,
          esModuleInterop: true,
          target: 'ES2022',
          jsx: 'react-jsx',
          jsxImportSource: 'preact',
        },
      },
    ],
  },
  // dinero.js ships ES modules only; jest runs CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(dinero\\.js|@dinero\\.js|n2words)/)'],
  testTimeout: 120000,
  maxWorkers: 2,
};

// A Backstage app (the frontend system most Backstage installations still run: createApp from
// @backstage/app-defaults) with the scaffolder plugin's own page, so a browser shows our software
// templates' forms exactly as Backstage renders them (the template wizard, its form library and the
// EntityPicker, OwnerPicker and RepoUrlPicker field extensions). screenshots.mjs builds it.
//
// Stand-ins, each for a backend this page would call:
// - the scaffolder backend: getTemplateParameterSchema answers with what its router's
//   /v2/templates/:namespace/:kind/:name/parameter-schema returns for the template (screenshots.mjs
//   computes it from backstage/templates); what the form submits is kept in
//   window.DEVPLATFORM_SUBMITTED, and nothing is ever run or published;
// - the catalog: Backstage's InMemoryCatalogClient over the entities screenshots.mjs passes (the
//   kubernetes-ingestor's entities of DevEnvironments, a user and groups).
// What this cannot show: the app's own theme and sidebar, and anything a real backend would refuse.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { Navigate, Route } from 'react-router-dom';
import { createApp } from '@backstage/app-defaults';
import { AppRouter, FlatRoutes } from '@backstage/core-app-api';
import { configApiRef, createApiFactory } from '@backstage/core-plugin-api';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { ScmAuth, ScmIntegrationsApi, scmIntegrationsApiRef } from '@backstage/integration-react';
import {
  catalogApiRef,
  defaultEntityPresentation,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import { ScaffolderPage, scaffolderApiRef, scaffolderPlugin } from '@backstage/plugin-scaffolder';

const { manifests, entities } = window.DEVPLATFORM_FORM;

/** The scaffolder backend, as far as the template wizard asks it before anything is submitted. */
const scaffolderApi = {
  async getTemplateParameterSchema(templateRef) {
    const manifest = manifests[templateRef];
    if (manifest === undefined) throw new Error(`no template ${templateRef}`);
    return manifest;
  },
  async getIntegrationsList() {
    return { integrations: [{ type: 'github', host: 'github.com', title: 'GitHub' }] };
  },
  async autocomplete() {
    return { results: [] };
  },
  async listActions() {
    return [];
  },
  async listTemplatingExtensions() {
    return { filters: {}, globals: { functions: {}, values: {} } };
  },
  // What the form submits is kept for screenshots.mjs to read; nothing runs.
  async scaffold({ templateRef, values }) {
    window.DEVPLATFORM_SUBMITTED = { templateRef, values };
    return { taskId: 'not-run' };
  },
  async getTask(taskId) {
    return {
      id: taskId,
      spec: { steps: [], parameters: {} },
      status: 'open',
      createdAt: '',
      lastHeartbeatAt: '',
    };
  },
  streamLogs() {
    return { subscribe: () => ({ unsubscribe() {}, closed: false }) };
  },
};

/** Entity titles as Backstage's catalog plugin shows them (name, kind, namespace), without fetching. */
const entityPresentationApi = {
  forEntity(entityOrRef, context) {
    const snapshot = defaultEntityPresentation(entityOrRef, context);
    return { snapshot, promise: Promise.resolve(snapshot) };
  },
};

const app = createApp({
  apis: [
    createApiFactory(scaffolderApiRef, scaffolderApi),
    createApiFactory(catalogApiRef, new InMemoryCatalogClient({ entities })),
    createApiFactory(entityPresentationApiRef, entityPresentationApi),
    createApiFactory({
      api: scmIntegrationsApiRef,
      deps: { configApi: configApiRef },
      factory: ({ configApi }) => ScmIntegrationsApi.fromConfig(configApi),
    }),
    ScmAuth.createDefaultApiFactory(),
  ],
  plugins: [scaffolderPlugin],
  configLoader: async () => [
    {
      context: 'devplatform-form',
      data: {
        app: { title: 'Backstage', baseUrl: window.location.origin },
        backend: { baseUrl: window.location.origin },
        integrations: { github: [{ host: 'github.com' }] },
      },
    },
  ],
});

const App = app.createRoot(
  <AppRouter>
    <FlatRoutes>
      <Route path="/" element={<Navigate to="/create" />} />
      <Route path="/create" element={<ScaffolderPage />} />
    </FlatRoutes>
  </AppRouter>,
);

createRoot(document.getElementById('root')).render(<App />);

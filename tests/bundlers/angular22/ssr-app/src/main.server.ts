import { mergeApplicationConfig } from '@angular/core';
import { bootstrapApplication, provideClientHydration, type BootstrapContext } from '@angular/platform-browser';
import { provideServerRendering, RenderMode, withRoutes } from '@angular/ssr';
import { ContactComponent } from './contact.component';

const config = mergeApplicationConfig(
  { providers: [provideClientHydration()] },
  { providers: [provideServerRendering(withRoutes([{ path: '**', renderMode: RenderMode.Server }]))] },
);

export default (context: BootstrapContext) => bootstrapApplication(ContactComponent, config, context);

import { bootstrapApplication, provideClientHydration } from '@angular/platform-browser';
import { ContactComponent } from './contact.component';

bootstrapApplication(ContactComponent, { providers: [provideClientHydration()] }).catch((err) => console.error(err));
